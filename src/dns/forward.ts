import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import type { Forwarder } from "./handler.js";
import { idOf, isTruncated, withId } from "./message.js";
import { FrameReader, frame } from "./tcp-framing.js";
import type { Upstream } from "./upstreams.js";

export class UpstreamTimeoutError extends Error {
  override readonly name = "UpstreamTimeoutError";
}

/** A pending exchange's way to give up (on timeout or when the forwarder closes). */
type Cancel = (err: Error) => void;

/**
 * Forwards queries to upstream resolvers, in order, until one answers:
 * over UDP first, again over TCP when the UDP reply came back truncated
 * (RFC 1035 4.2.1). Each query leaves under a fresh random id from a
 * fresh socket (random source port), so a spoofed reply has to guess both.
 */
export class UpstreamForwarder implements Forwarder {
  private readonly pending = new Set<Cancel>();
  private closed = false;

  constructor(
    private readonly upstreams: readonly Upstream[],
    private readonly opts: {
      /** Per upstream and transport (default 2000 ms, CoreDNS forward's dial+read budget order). */
      timeoutMs?: number;
    } = {},
  ) {}

  async exchange(query: Buffer): Promise<Buffer | undefined> {
    const id = idOf(query);
    if (id === undefined) return undefined;
    for (const upstream of this.upstreams) {
      if (this.closed) return undefined;
      const out = withId(query, randomInt(65536));
      try {
        let reply = await this.udp(out, upstream);
        if (isTruncated(reply)) reply = await this.tcp(out, upstream);
        return withId(reply, id);
      } catch {
        // This upstream failed or timed out: the next one gets a turn.
      }
    }
    return undefined;
  }

  /** Abandons every exchange in flight. */
  close(): void {
    this.closed = true;
    for (const cancel of [...this.pending]) cancel(new Error("forwarder closed"));
  }

  private timeoutMs(): number {
    return this.opts.timeoutMs ?? 2000;
  }

  /** Runs one exchange with a deadline; `start` gets resolve/reject and returns its cleanup. */
  private withDeadline(
    start: (done: (reply: Buffer) => void, fail: (err: Error) => void) => () => void,
  ): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      let cleanup: () => void = () => {};
      let settled = false;
      // Whichever comes first (reply, error, deadline, close) settles; the rest are ignored.
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(cancel);
        cleanup();
        fn();
      };
      const cancel: Cancel = (err) => settle(() => reject(err));
      const timer = setTimeout(
        () => cancel(new UpstreamTimeoutError("upstream timed out")),
        this.timeoutMs(),
      );
      this.pending.add(cancel);
      cleanup = start((reply) => settle(() => resolve(reply)), cancel);
      if (settled) cleanup();
    });
  }

  private udp(query: Buffer, up: Upstream): Promise<Buffer> {
    const expected = idOf(query);
    return this.withDeadline((done, fail) => {
      const socket = createSocket(up.host.includes(":") ? "udp6" : "udp4");
      socket.on("error", fail);
      socket.on("message", (msg, rinfo) => {
        // Only the upstream's reply to this id counts; anything else is noise or spoofing.
        if (rinfo.port !== up.port || idOf(msg) !== expected) return;
        done(msg);
      });
      socket.send(query, up.port, up.host, (err) => {
        if (err) fail(err);
      });
      return () => socket.close();
    });
  }

  private tcp(query: Buffer, up: Upstream): Promise<Buffer> {
    const expected = idOf(query);
    return this.withDeadline((done, fail) => {
      const reader = new FrameReader();
      const socket = connect({ host: up.host, port: up.port });
      socket.on("error", fail);
      socket.on("close", () => fail(new Error("upstream closed the connection")));
      socket.on("data", (chunk: Buffer) => {
        for (const msg of reader.push(chunk)) if (idOf(msg) === expected) done(msg);
      });
      socket.write(frame(query));
      return () => socket.destroy();
    });
  }
}
