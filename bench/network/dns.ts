/**
 * Cluster DNS under load: the in-process DnsServer, its zone filled by
 * informers from the benchmark's API server, answering A queries for
 * service names from a client with many queries in flight on one UDP
 * socket (in this same process: the figures include the client's share of
 * the event loop); then forwarded names through to a fake upstream on
 * loopback, first asked (cache misses) and asked again (answered from the
 * answer cache), beside the same queries sent to the upstream directly.
 */
import { createSocket, type Socket } from "node:dgram";
import { encode, RECURSION_DESIRED } from "dns-packet";
import type { RestClient } from "../../src/client/rest/client.js";
import { DnsServer } from "../../src/dns/server.js";
import { startFakeUpstream } from "../../test/dns/fake-upstream.js";
import { NAMESPACE } from "./objects.js";
import { p50p99 } from "./stats.js";

const QUERY_TIMEOUT_MS = 2000;

interface LoadResult {
  latencies: number[];
  seconds: number;
  /** Replies that were not NOERROR with at least one answer. */
  failed: number;
  lost: number;
}

function query(id: number, name: string): Buffer {
  return encode({
    type: "query",
    id,
    flags: RECURSION_DESIRED,
    questions: [{ type: "A", name }],
  });
}

/** Sends every name once, keeping `concurrency` queries in flight on one socket. */
async function load(
  to: { host: string; port: number },
  opts: { names: readonly string[]; concurrency: number },
): Promise<LoadResult> {
  const { names, concurrency } = opts;
  const socket: Socket = createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  let failed = 0;
  let lost = 0;
  let next = 0;
  let id = 0;
  const start = performance.now();
  return new Promise<LoadResult>((resolve) => {
    const finish = () => {
      if (pending.size > 0 || next < names.length) return;
      clearInterval(sweeper);
      socket.close();
      resolve({ latencies, seconds: (performance.now() - start) / 1000, failed, lost });
    };
    const send = () => {
      const name = names[next++];
      if (name === undefined) return finish();
      do id = (id + 1) & 0xffff;
      while (pending.has(id));
      pending.set(id, performance.now());
      socket.send(query(id, name), to.port, to.host);
    };
    socket.on("message", (msg) => {
      const sent = pending.get(msg.readUInt16BE(0));
      if (sent === undefined) return;
      pending.delete(msg.readUInt16BE(0));
      latencies.push(performance.now() - sent);
      // RCODE in the low nibble of byte 3, ANCOUNT at offset 6.
      if ((msg[3] ?? 0) & 0x0f || msg.readUInt16BE(6) === 0) failed++;
      send();
    });
    // UDP may drop under load: a query unanswered for long is counted lost and replaced.
    const sweeper = setInterval(() => {
      const now = performance.now();
      for (const [qid, sent] of pending)
        if (now - sent > QUERY_TIMEOUT_MS) {
          pending.delete(qid);
          lost++;
          send();
        }
    }, 250);
    for (let k = 0; k < concurrency; k++) send();
  });
}

function describe(label: string, r: LoadResult): void {
  console.log(
    `${label}: ${(r.latencies.length / r.seconds).toFixed(0)} queries/s, ${p50p99(r.latencies, 2)}${r.failed ? `, ${r.failed} failed` : ""}${r.lost ? `, ${r.lost} lost` : ""}`,
  );
}

export async function benchDns(
  rest: RestClient,
  opts: { services: number; queries: number; concurrency: number; forwarded: number },
): Promise<void> {
  const upstream = await startFakeUpstream();
  const server = new DnsServer(rest, {
    host: "127.0.0.1",
    port: 0,
    upstreams: [`127.0.0.1:${upstream.port}`],
  });
  try {
    const t0 = performance.now();
    const address = await server.start();
    console.log(
      `\nDNS server on 127.0.0.1:${address.port}, zone of ${opts.services} Services filled in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    const cluster = Array.from(
      { length: opts.queries },
      (_, k) => `svc-${k % opts.services}.${NAMESPACE}.svc.cluster.local`,
    );
    // A short warm-up lets the JIT settle before the measured run.
    await load(address, { names: cluster.slice(0, 5000), concurrency: opts.concurrency });
    describe(
      `A queries for cluster names, ${opts.concurrency} in flight`,
      await load(address, { names: cluster, concurrency: opts.concurrency }),
    );
    describe(
      "A queries for cluster names, 1 in flight",
      await load(address, { names: cluster.slice(0, 5000), concurrency: 1 }),
    );
    const names = (prefix: string) =>
      Array.from({ length: opts.forwarded }, (_, k) => `${prefix}-${k}.example.com`);
    const external = names("host");
    describe(
      "forwarded A queries, cache misses (unique names), 1 in flight",
      await load(address, { names: external, concurrency: 1 }),
    );
    describe(
      "forwarded A queries, cache hits (same names again), 1 in flight",
      await load(address, { names: external, concurrency: 1 }),
    );
    describe(
      "the same names sent to the fake upstream directly",
      await load({ host: "127.0.0.1", port: upstream.port }, { names: external, concurrency: 1 }),
    );
    const more = names("other");
    describe(
      `forwarded A queries, cache misses, ${opts.concurrency} in flight`,
      await load(address, { names: more, concurrency: opts.concurrency }),
    );
    describe(
      `forwarded A queries, cache hits, ${opts.concurrency} in flight`,
      await load(address, { names: more, concurrency: opts.concurrency }),
    );
    const stats = server.cacheStats;
    console.log(`answer cache: ${stats.hits} hits, ${stats.misses} misses, ${stats.size} entries`);
  } finally {
    await server.stop();
    await upstream.close();
  }
}
