/**
 * Storage benchmark: the same workload on the embedded SQLite store and on a
 * local single-member etcd (Debian's etcd-server, started here on loopback),
 * in one run. Prints ops/s and p50/p99 latency per operation.
 *
 *   npm run bench:storage [-- --ops 2000 --clients 16]
 */
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EtcdStore } from "../../src/storage/etcd/store.js";
import { SqliteStore } from "../../src/storage/sqlite/store.js";
import type { Store, Watch } from "../../src/storage/types.js";
import { startEtcd } from "../../test/support/etcd.js";
import { tempDir } from "../../test/support/tmp.js";

const { values } = parseArgs({
  options: {
    ops: { type: "string", default: "2000" },
    clients: { type: "string", default: "16" },
    lists: { type: "string", default: "50" },
  },
});
const OPS = Number(values.ops);
const CLIENTS = Number(values.clients);
const LISTS = Number(values.lists);

interface Result {
  op: string;
  count: number;
  seconds: number;
  latenciesMs: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

async function timed(
  op: string,
  count: number,
  clients: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Result> {
  const latenciesMs: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = process.hrtime.bigint();
        await fn(i);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { op, count, seconds, latenciesMs };
}

const value = (i: number) =>
  new TextEncoder().encode(
    JSON.stringify({
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, namespace: "default", labels: { app: "bench" } },
      data: { payload: "x".repeat(512) },
    }),
  );

async function watchLatency(store: Store, count: number): Promise<Result> {
  const watch: Watch = await store.watch("/bench/watch/");
  const latenciesMs: number[] = [];
  const it = watch[Symbol.asyncIterator]();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const received = it.next();
    await store.create(`/bench/watch/${i}`, value(i));
    await received;
    latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  watch.close();
  return { op: "create+watch event", count, seconds, latenciesMs };
}

async function workload(store: Store): Promise<Result[]> {
  const results: Result[] = [];
  const revs: number[] = [];
  results.push(
    await timed("create (1 client)", OPS, 1, async (i) => {
      revs[i] = (
        await store.create(`/bench/a/${String(i).padStart(6, "0")}`, value(i))
      ).modRevision;
    }),
  );
  results.push(
    await timed(`create (${CLIENTS} clients)`, OPS, CLIENTS, (i) =>
      store.create(`/bench/b/${String(i).padStart(6, "0")}`, value(i)),
    ),
  );
  results.push(
    await timed("CAS update (1 client)", OPS, 1, async (i) => {
      const key = `/bench/a/${String(i).padStart(6, "0")}`;
      revs[i] = (await store.update(key, value(i), revs[i] as number)).modRevision;
    }),
  );
  results.push(
    await timed(`CAS update (${CLIENTS} clients)`, OPS, CLIENTS, async (i) => {
      const key = `/bench/a/${String(i).padStart(6, "0")}`;
      revs[i] = (await store.update(key, value(i), revs[i] as number)).modRevision;
    }),
  );
  results.push(
    await timed("get (1 client)", OPS, 1, (i) =>
      store.get(`/bench/a/${String(i).padStart(6, "0")}`),
    ),
  );
  // Lists of 1,000 keys: the first 1,000 of /bench/a/.
  for (let i = 1000; i < OPS; i++) {
    await store.delete(`/bench/a/${String(i).padStart(6, "0")}`);
  }
  results.push(
    await timed("list 1,000 keys (1 client)", LISTS, 1, async () => {
      const res = await store.list("/bench/a/");
      if (res.items.length !== Math.min(1000, OPS)) throw new Error(`listed ${res.items.length}`);
    }),
  );
  results.push(await watchLatency(store, Math.min(OPS, 1000)));
  return results;
}

function print(name: string, results: Result[]): void {
  console.log(`\n${name}`);
  console.log(
    `${"operation".padEnd(30)} ${"ops/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  for (const r of results) {
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    console.log(
      `${r.op.padEnd(30)} ${(r.count / r.seconds).toFixed(0).padStart(9)} ${percentile(sorted, 50)
        .toFixed(3)
        .padStart(8)} ${percentile(sorted, 99).toFixed(3).padStart(8)}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(
    `k8ts storage benchmark: ${OPS} ops per step, ${CLIENTS} concurrent clients, ${LISTS} lists`,
  );
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
  );
  const dir = tempDir("bench-storage");
  const sqlite = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
  const sqliteResults = await workload(sqlite);
  await sqlite.close();
  dir.remove();
  print("embedded SQLite (WAL, synchronous=FULL)", sqliteResults);

  const etcd = await startEtcd();
  const etcdStore = new EtcdStore({ endpoints: [etcd.endpoint] });
  try {
    const etcdResults = await workload(etcdStore);
    print("etcd 3.4 single member (Debian etcd-server, loopback)", etcdResults);
    console.log("\nratio SQLite/etcd ops/s");
    sqliteResults.forEach((r, i) => {
      const e = etcdResults[i] as Result;
      console.log(
        `${r.op.padEnd(30)} ${(r.count / r.seconds / (e.count / e.seconds)).toFixed(2).padStart(9)}x`,
      );
    });
  } finally {
    await etcdStore.close();
    await etcd.stop();
  }
}

await main();
