import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import type { Transport } from "./handler.js";
import { FrameReader, frame } from "./tcp-framing.js";

export type MessageHandler = (raw: Buffer, transport: Transport) => Promise<Buffer | undefined>;

export interface DnsListener {
  /** Where UDP and TCP are both bound (one port for both). */
  readonly address: { readonly host: string; readonly port: number };
  /** Stops listening and drops open TCP connections. */
  close(): Promise<void>;
}

/** An idle TCP client is dropped after this long (RFC 7766 suggests seconds, not minutes). */
const TCP_IDLE_MS = 10_000;
/** Picking port 0 for UDP may land on a port TCP cannot have: try a few times. */
const BIND_ATTEMPTS = 10;

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: host.includes(":") ? "udp6" : "udp4" });
    socket.once("error", reject);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });
}

function listenTcp(server: Server, at: { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeUdp(socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/** Serves one TCP connection: any number of length-prefixed queries, replies as they are ready. */
function serveConnection(
  conn: Socket,
  ctx: { handle: MessageHandler; onError: (err: unknown) => void },
): void {
  const reader = new FrameReader();
  conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
  conn.on("error", () => conn.destroy());
  conn.on("data", (chunk: Buffer) => {
    for (const msg of reader.push(chunk)) {
      ctx.handle(msg, "tcp").then((reply) => {
        if (reply && !conn.destroyed) conn.write(frame(reply));
      }, ctx.onError);
    }
  });
}

/**
 * Binds a UDP socket and a TCP server on the same address and port and
 * hands every message to `handle`. Port 0 picks a port free for both.
 */
export async function listenDns(
  handle: MessageHandler,
  opts: { host: string; port: number; onError?: (err: unknown) => void },
): Promise<DnsListener> {
  const onError = opts.onError ?? (() => {});
  const conns = new Set<Socket>();
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(opts.host, opts.port);
    const port = udp.address().port;
    const tcp = createServer((conn) => {
      conns.add(conn);
      conn.on("close", () => conns.delete(conn));
      serveConnection(conn, { handle, onError });
    });
    try {
      await listenTcp(tcp, { host: opts.host, port });
    } catch (err) {
      await closeUdp(udp);
      if (opts.port !== 0 || attempt >= BIND_ATTEMPTS) throw err;
      continue;
    }
    let closed = false;
    udp.on("error", onError);
    udp.on("message", (msg, rinfo) => {
      handle(msg, "udp").then((reply) => {
        if (reply && !closed) udp.send(reply, rinfo.port, rinfo.address);
      }, onError);
    });
    return {
      address: { host: opts.host, port },
      async close() {
        if (closed) return;
        closed = true;
        for (const c of conns) c.destroy();
        await Promise.all([
          closeUdp(udp),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      },
    };
  }
}
