/**
 * API server benchmark: the server runs in its own process on the embedded
 * store; this process drives it over HTTPS with client certificates.
 *
 *   npm run bench:apiserver [-- --clients 16 --ops 2000 --rate 500 --watchers 1000]
 *
 * Prints, per operation, throughput and p50/p99 latency with N concurrent
 * clients; single-object mutations at a fixed request rate (open loop, the
 * latency users see at that load); and watch fan-out: the delay until every
 * one of W watchers on one resource has an event.
 */
import { parseArgs } from "node:util";
import { machineLine, startBenchServer } from "../support/server.js";
import { clientFor } from "./client.js";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    ops: { type: "string", default: "2000" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    watchers: { type: "string", default: "1000" },
    rounds: { type: "string", default: "20" },
  },
});
const CLIENTS = Number(values.clients);
const OPS = Number(values.ops);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WATCHERS = Number(values.watchers);
const ROUNDS = Number(values.rounds);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
  Number.NaN;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function report(name: string, count: number, seconds: number, lat: number[]): void {
  const s = [...lat].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(40)} ${(count / seconds).toFixed(0).padStart(8)} ${pct(s, 50).toFixed(2).padStart(8)} ${pct(s, 99).toFixed(2).padStart(8)}`,
  );
}

async function closedLoop(
  name: string,
  count: number,
  clients: number,
  op: (i: number) => Promise<{ status: number }>,
  ok: number,
): Promise<void> {
  const lat: number[] = [];
  let next = 0;
  let failures = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = process.hrtime.bigint();
        const r = await op(i);
        lat.push(ms(t0));
        if (r.status !== ok) failures++;
      }
    }),
  );
  report(name, count, ms(start) / 1000, lat);
  if (failures > 0) console.log(`  (${failures} requests did not answer ${ok})`);
}

/** Requests issued at a fixed rate regardless of answers: the latency a steady load sees. */
async function openLoop(
  name: string,
  rate: number,
  seconds: number,
  op: (i: number) => Promise<{ status: number }>,
) {
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  let failures = 0;
  const total = rate * seconds;
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const due = (i * 1000) / rate;
    const wait = due - ms(start);
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = process.hrtime.bigint();
    pending.push(
      op(i).then((r) => {
        lat.push(ms(t0));
        if (r.status >= 300) failures++;
      }),
    );
  }
  await Promise.all(pending);
  report(`${name} @ ${rate}/s`, total, ms(start) / 1000, lat);
  if (failures > 0) console.log(`  (${failures} requests failed)`);
}

async function main(): Promise<void> {
  console.log(
    `k8ts API server benchmark: ${CLIENTS} clients, ${OPS} ops per step, open loop ${RATE}/s for ${SECONDS}s, ${WATCHERS} watchers`,
  );
  console.log(machineLine(", store: embedded SQLite"));
  const server = await startBenchServer("bench-apiserver");
  try {
    const { kubeconfig } = server;
    const c = clientFor(kubeconfig, CLIENTS);
    const ns = "/api/v1/namespaces/bench/configmaps";
    await c.call("POST", "/api/v1/namespaces", { metadata: { name: "bench" } });
    const cm = (i: number, v = "x") => ({
      metadata: { name: `cm-${i}`, labels: { app: "bench" } },
      data: { v, pad: "p".repeat(256) },
    });

    console.log(
      `\n${"operation".padEnd(40)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
    );
    await closedLoop(
      `create (${CLIENTS} clients)`,
      OPS,
      CLIENTS,
      (i) => c.call("POST", ns, cm(i)),
      201,
    );
    await closedLoop(
      `get (${CLIENTS} clients)`,
      OPS,
      CLIENTS,
      (i) => c.call("GET", `${ns}/cm-${i % OPS}`),
      200,
    );
    await closedLoop(
      `update, read-modify-write (${CLIENTS} clients)`,
      OPS,
      CLIENTS,
      async (i) => {
        const got = await c.call("GET", `${ns}/cm-${i}`);
        const obj = JSON.parse(got.body);
        obj.data.v = "updated";
        return c.call("PUT", `${ns}/cm-${i}`, obj);
      },
      200,
    );
    await closedLoop(
      `list ${OPS} objects (${Math.min(CLIENTS, 4)} clients)`,
      40,
      Math.min(CLIENTS, 4),
      () => c.call("GET", ns),
      200,
    );
    await closedLoop(
      `list, limit=500 page (${CLIENTS} clients)`,
      200,
      CLIENTS,
      () => c.call("GET", `${ns}?limit=500`),
      200,
    );

    console.log("\nfixed-rate single-object mutations (upstream SLO: p99 <= 1 s)");
    console.log(
      `${"operation".padEnd(40)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
    );
    await openLoop("create", RATE, SECONDS, (i) => c.call("POST", ns, cm(OPS + i)));
    await openLoop("merge patch", RATE, SECONDS, (i) =>
      patch(c, `${ns}/cm-${i % OPS}`, { data: { v: `p${i}` } }),
    );

    // Watch fan-out.
    const first = await c.call("GET", `${ns}?limit=1`);
    const rv = JSON.parse(first.body).metadata.resourceVersion as string;
    let received = 0;
    let roundStart = process.hrtime.bigint();
    const perWatcher: number[] = [];
    let allDone: () => void = () => {};
    const closers: Array<() => void> = [];
    const openStart = process.hrtime.bigint();
    for (let w = 0; w < WATCHERS; w++) {
      closers.push(
        await c.watch(
          `/api/v1/namespaces/bench/configmaps?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dfanout`,
          () => {
            perWatcher.push(ms(roundStart));
            received++;
            if (received === WATCHERS) allDone();
          },
        ),
      );
    }
    console.log(
      `\nwatch fan-out: ${WATCHERS} watchers opened in ${(ms(openStart) / 1000).toFixed(1)} s`,
    );
    const toLast: number[] = [];
    await c.call("POST", ns, { metadata: { name: "fanout" }, data: { round: "0" } });
    await new Promise((r) => setTimeout(r, 500)); // the ADDED event, not measured
    for (let round = 1; round <= ROUNDS; round++) {
      received = 0;
      perWatcher.length = 0;
      const done = new Promise<void>((resolve) => {
        allDone = resolve;
      });
      roundStart = process.hrtime.bigint();
      await patch(c, `${ns}/fanout`, { data: { round: String(round) } });
      await done;
      toLast.push(ms(roundStart));
    }
    const sorted = [...toLast].sort((a, b) => a - b);
    console.log(
      `event to all ${WATCHERS} watchers over ${ROUNDS} rounds: p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms`,
    );
    for (const close of closers) close();
    c.agent.destroy();
  } finally {
    await server.stop();
  }
}

function patch(c: ReturnType<typeof clientFor>, path: string, body: unknown) {
  return c.call("PATCH", path, body, "application/merge-patch+json");
}

await main();
