/**
 * Protocol upgrades (WebSocket) passed through: the upgrade request goes
 * to the picked endpoint on a connection of its own; when the endpoint
 * switches protocols its 101 head is relayed and from then on the two
 * sockets are joined byte for byte until either side closes. An endpoint
 * that declines answers with an ordinary response, which is relayed
 * before the client connection is closed.
 */
import type { IncomingMessage } from "node:http";
import { request } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "../util/log.js";
import { downstreamResponseHeaders, upstreamRequestHeaders } from "./headers.js";
import { clientSide } from "./proxy.js";
import { NOT_FOUND, rawHead, replyRaw } from "./responses.js";
import { type Router, unavailableMessage } from "./router.js";

export class UpgradeForwarder {
  /** Joined sockets, both sides, so stop() can cut them. */
  private readonly tunnels = new Set<Duplex>();

  constructor(private readonly opts: { router: Router; log: Logger }) {}

  /** An `upgrade` listener for a server whose clients speak `proto`. */
  handler(proto: "http" | "https"): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
    return (req, socket, head) => this.serve(req, { socket, head, proto });
  }

  /** Closes every joined connection. */
  closeAll(): void {
    for (const s of this.tunnels) s.destroy();
    this.tunnels.clear();
  }

  private serve(
    req: IncomingMessage,
    ctx: { socket: Duplex; head: Buffer; proto: "http" | "https" },
  ): void {
    const { socket } = ctx;
    socket.on("error", () => socket.destroy());
    const pick = this.opts.router.pick({ host: req.headers.host ?? "", target: req.url ?? "/" });
    if (pick.kind !== "endpoint") {
      const unavailable = pick.kind === "unavailable";
      replyRaw(
        socket,
        unavailable ? { status: 503, message: unavailableMessage(pick.match) } : NOT_FOUND,
      );
      return;
    }
    const { host, port } = pick.endpoint;
    const up = request({
      host,
      port,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: upstreamRequestHeaders(req.rawHeaders, {
        ...clientSide(req, ctx.proto),
        upgrade: true,
      }),
      agent: false,
    });
    socket.once("close", () => up.destroy());
    up.once("upgrade", (ures, usocket, uhead) => {
      const head = downstreamResponseHeaders(ures.rawHeaders, { upgrade: true });
      socket.write(
        rawHead({ code: ures.statusCode ?? 101, message: ures.statusMessage ?? "" }, head),
      );
      if (uhead.length > 0) socket.write(uhead);
      if (ctx.head.length > 0) usocket.write(ctx.head);
      this.join(socket, usocket);
    });
    up.once("response", (ures) => {
      const head = downstreamResponseHeaders(ures.rawHeaders, { upgrade: false });
      // Hop-by-hop headers are gone from `head`; the body now ends when the connection does.
      socket.write(
        rawHead({ code: ures.statusCode ?? 502, message: ures.statusMessage ?? "" }, [
          ...head,
          "Connection",
          "close",
        ]),
      );
      ures.pipe(socket);
    });
    up.once("error", (err) => {
      this.opts.log.warn("upgrade upstream failed", {
        upstream: `${host}:${port}`,
        err: String(err),
      });
      if (socket.writable)
        replyRaw(socket, { status: 502, message: `upstream ${host}:${port}: ${err.message}` });
    });
    up.end();
  }

  private join(client: Duplex, upstream: Socket): void {
    for (const s of [client, upstream]) {
      this.tunnels.add(s);
      s.once("close", () => this.tunnels.delete(s));
    }
    upstream.setNoDelay(true);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", cut).on("close", cut);
    upstream.on("error", cut).on("close", cut);
    client.pipe(upstream).pipe(client);
  }
}
