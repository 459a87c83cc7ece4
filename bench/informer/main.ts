/**
 * Informer benchmark: an API server (own process, embedded store) with N
 * pods; this process lists-and-watches them into an informer cache.
 * Prints the time to sync and the heap the cache takes, then the delay
 * from a write to the handler seeing it under a steady write rate.
 *
 *   node --expose-gc --import tsx bench/informer/main.ts [--pods 50000 --rate 200 --seconds 10]
 */
import { parseArgs } from "node:util";
import { Informer } from "../../src/client/informer/informer.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { type KubeObjectLike, ResourceClient } from "../../src/client/rest/resource.js";
import { machineLine, startBenchServer } from "../support/server.js";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "50000" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
  },
});
const PODS = Number(values.pods);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);

const pct = (s: number[], p: number) =>
  s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heapMiB = () => process.memoryUsage().heapUsed / 2 ** 20;

interface Pod extends KubeObjectLike {
  metadata?: KubeObjectLike["metadata"] & { annotations?: Record<string, string> };
}

async function main(): Promise<void> {
  console.log(`k8ts informer benchmark: ${PODS} pods, then ${RATE} writes/s for ${SECONDS} s`);
  console.log(machineLine(", store: embedded SQLite"));
  const server = await startBenchServer("bench-informer");
  try {
    const { kubeconfig } = server;
    const rest = new RestClient({ ...loadKubeconfig({ path: kubeconfig }), qps: 1e6, burst: 1e6 });
    const pods = new ResourceClient<Pod>(rest, {
      group: "",
      version: "v1",
      resource: "pods",
      namespaced: true,
    });
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < PODS; i = next++) {
          await pods.create({
            metadata: { name: `pod-${i}`, namespace: "default", labels: { app: `a${i % 100}` } },
            spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
          } as Pod);
        }
      }),
    );
    console.log(`created ${PODS} pods in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    gc();
    const before = heapMiB();
    const informer = new Informer<Pod>(pods, { pageSize: 500 });
    const seen = new Map<string, number>();
    informer.addEventHandler({
      onUpdate: (_old, obj) => {
        const sent = obj.metadata?.annotations?.sent;
        if (sent) seen.set(sent, performance.now());
      },
    });
    const s0 = performance.now();
    informer.start();
    await informer.waitForSync();
    const syncMs = performance.now() - s0;
    gc();
    const cacheMiB = heapMiB() - before;
    console.log(
      `list-and-watch ${informer.store.size} pods into the cache: ${(syncMs / 1000).toFixed(2)} s, cache heap ${cacheMiB.toFixed(0)} MiB (${((cacheMiB * 2 ** 20) / informer.store.size / 1024).toFixed(1)} KiB/pod)`,
    );

    const sentAt = new Map<string, number>();
    const total = RATE * SECONDS;
    const start = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = (i * 1000) / RATE - (performance.now() - start);
      if (due > 1) await new Promise((r) => setTimeout(r, due));
      const id = String(i);
      sentAt.set(id, performance.now());
      pending.push(
        pods.patch(
          `pod-${i % PODS}`,
          { metadata: { annotations: { sent: id } } },
          { namespace: "default" },
        ),
      );
    }
    await Promise.all(pending);
    const deadline = performance.now() + 10_000;
    while (seen.size < total && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const lat = [...sentAt]
      .filter(([id]) => seen.has(id))
      .map(([id, t]) => (seen.get(id) as number) - t)
      .sort((a, b) => a - b);
    console.log(
      `write -> handler at ${RATE} writes/s: ${lat.length}/${total} delivered, p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms`,
    );
    await informer.stop();
    rest.close();
  } finally {
    await server.stop();
  }
}

await main();
