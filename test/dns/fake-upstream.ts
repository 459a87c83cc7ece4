// A tiny upstream resolver on loopback (UDP and TCP on one port), for
// tests of forwarding: it answers every A question with a fixed address.
import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";
import { decode, encode, TRUNCATED_RESPONSE } from "dns-packet";
import { FrameReader, frame } from "../../src/dns/tcp-framing.js";

export interface FakeUpstream {
  readonly port: number;
  /** "udp name type" / "tcp name type" for every question received. */
  readonly asked: string[];
  close(): Promise<void>;
}

function reply(raw: Buffer, opts: { address: string; truncate: boolean }): Buffer {
  const q = decode(raw);
  const question = q.questions?.[0];
  return encode({
    type: "response",
    id: q.id ?? 0,
    flags: opts.truncate ? TRUNCATED_RESPONSE : 0,
    questions: q.questions ?? [],
    answers:
      opts.truncate || question?.type !== "A"
        ? []
        : [{ type: "A", name: question.name, ttl: 60, data: opts.address }],
  });
}

/**
 * `truncateUdp` answers UDP with TC set and nothing else, so the client
 * must retry over TCP; `silent` never answers (a dead upstream).
 */
export async function startFakeUpstream(
  opts: { address?: string; truncateUdp?: boolean; silent?: boolean } = {},
): Promise<FakeUpstream> {
  const address = opts.address ?? "192.0.2.53";
  const asked: string[] = [];
  const note = (transport: string, raw: Buffer) => {
    const q = decode(raw).questions?.[0];
    asked.push(`${transport} ${q?.name} ${q?.type}`);
  };
  const udp = createSocket("udp4");
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r()));
  const port = udp.address().port;
  udp.on("message", (msg, rinfo) => {
    note("udp", msg);
    if (opts.silent) return;
    udp.send(
      reply(msg, { address, truncate: opts.truncateUdp === true }),
      rinfo.port,
      rinfo.address,
    );
  });
  const conns = new Set<Socket>();
  const tcp = createServer((conn) => {
    conns.add(conn);
    conn.on("close", () => conns.delete(conn));
    conn.on("error", () => {});
    const reader = new FrameReader();
    conn.on("data", (chunk: Buffer) => {
      for (const msg of reader.push(chunk)) {
        note("tcp", msg);
        if (!opts.silent) conn.write(frame(reply(msg, { address, truncate: false })));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    asked,
    async close() {
      for (const c of conns) c.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}
