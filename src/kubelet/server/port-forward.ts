/**
 * Port-forward over SPDY (portforward.k8s.io, as kubectl speaks it, also
 * tunnelled inside a WebSocket): for each forwarded connection the client
 * opens an error stream and a data stream with the same requestID and the
 * pod port; the data stream is relayed to that port in the pod's network
 * namespace, and failures are written to the error stream.
 */
import type { Duplex } from "node:stream";
import type { SpdySession, SpdyStream } from "./spdy/connection.js";

export const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
/** The WebSocket subprotocol kubectl 1.31+ tunnels SPDY in. */
export const PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

export function servePortForward(
  session: SpdySession,
  forward: (port: number) => Promise<Duplex>,
  describe: string,
): void {
  const pairs = new Map<string, Pair>();
  session.on("stream", (stream: SpdyStream) => {
    const type = stream.headers.streamtype;
    const id = stream.headers.requestid ?? "";
    let pair = pairs.get(id);
    if (!pair) {
      pair = {};
      pairs.set(id, pair);
    }
    if (type === "error") {
      pair.error = stream;
      stream.resume();
      return;
    }
    if (type !== "data") {
      stream.destroy();
      return;
    }
    pair.data = stream;
    const p = pair;
    const fail = (message: string) => {
      if (p.error && !p.error.finished) {
        p.error.write(message);
        p.error.fin();
      }
      stream.fin();
      pairs.delete(id);
    };
    const port = Number(stream.headers.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(`invalid port ${JSON.stringify(stream.headers.port ?? "")}`);
      return;
    }
    forward(port).then(
      (relay) => {
        stream.pipe(relay);
        relay.on("data", (d: Buffer) => stream.write(d));
        relay.on("end", () => {
          stream.fin();
          p.error?.fin();
          pairs.delete(id);
        });
        relay.on("error", (err: Error) =>
          fail(`error forwarding port ${port} to pod ${describe}: ${err.message}`),
        );
        stream.on("close", () => relay.destroy());
      },
      (err: unknown) =>
        fail(
          `error forwarding port ${port} to pod ${describe}: ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  });
}
