/**
 * Scheduler benchmark, upstream scheduler_perf's SchedulingBasic shape:
 * N nodes and M pods as API objects on a real API server (own process,
 * embedded store), all created before the scheduler starts in this
 * process; pods/s is measured from its start (cache sync included) to the
 * last binding, and from the first binding to the last (the loop alone).
 *
 *   npm run bench:scheduler [-- --nodes 5000 --pods 10000 --workload basic|mixed]
 */
import { parseArgs } from "node:util";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { Informer } from "../../src/client/informer/informer.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { Scheduler } from "../../src/scheduler/runner/scheduler.js";
import { machineLine, startBenchServer } from "../support/server.js";
import { cpuPerItem, sampleCpu } from "./cpu.js";
import { benchNode, benchPod, parseWorkload } from "./workloads.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5000" },
    pods: { type: "string", default: "10000" },
    workload: { type: "string", default: "basic" },
  },
});
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const WORKLOAD = parseWorkload(values.workload);

async function parallel(
  count: number,
  width: number,
  fn: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

async function main(): Promise<void> {
  const title =
    WORKLOAD === "basic" ? "SchedulingBasic" : "mixed: node affinity, taints, anti-affinity";
  console.log(`k8ts scheduler benchmark (${title}): ${NODES} nodes, ${PODS} pods`);
  console.log(machineLine());
  const server = await startBenchServer("bench-scheduler");
  try {
    const { kubeconfig } = server;
    const rest = new RestClient({ ...loadKubeconfig({ path: kubeconfig }), qps: 1e6, burst: 1e6 });
    const nodes = new ResourceClient<Node>(rest, {
      group: "",
      version: "v1",
      resource: "nodes",
      namespaced: false,
    });
    const pods = new ResourceClient<Pod>(rest, {
      group: "",
      version: "v1",
      resource: "pods",
      namespaced: true,
    });
    await parallel(NODES, 16, (i) => nodes.create(benchNode(i, WORKLOAD)));
    const watcher = new Informer<Pod>(pods, { pageSize: 500 });
    let bound = 0;
    let first = 0;
    let last = 0;
    watcher.addEventHandler({
      onUpdate: (old, pod) => {
        if (!old.spec?.nodeName && pod.spec?.nodeName) {
          bound++;
          const now = performance.now();
          if (bound === 1) first = now;
          last = now;
        }
      },
    });
    watcher.start();
    await watcher.waitForSync();
    // All pods exist before the scheduler starts: the figure is the scheduler's alone,
    // not the rate at which this 2-core machine can also create pods.
    const c0 = performance.now();
    await parallel(PODS, 16, (i) => pods.create(benchPod(i, WORKLOAD)));
    const createdS = (performance.now() - c0) / 1000;
    const scheduler = new Scheduler(rest);
    const s0 = performance.now();
    const cpu0 = sampleCpu();
    await scheduler.start();
    const synced = performance.now();
    const deadline = performance.now() + 30 * 60_000;
    while (bound < PODS && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const cpu = cpuPerItem(cpu0, { to: sampleCpu(), items: bound });
    const seconds = (last - s0) / 1000;
    console.log(`created ${PODS} pods in ${createdS.toFixed(1)} s`);
    // From the scheduler's start (cache sync included) to the last binding.
    console.log(
      `scheduled ${bound}/${PODS} pods in ${seconds.toFixed(1)} s: ${(bound / Math.max(seconds, 1e-3)).toFixed(0)} pods/s`,
    );
    // The scheduling loop alone, as upstream's SchedulingThroughput samples it: cache sync excluded.
    const loopS = (last - first) / 1000;
    console.log(
      `cache synced in ${((synced - s0) / 1000).toFixed(2)} s; first to last binding: ${(Math.max(bound - 1, 0) / Math.max(loopS, 1e-3)).toFixed(0)} pods/s`,
    );
    // Where the work went, independent of what else shares the machine.
    console.log(
      `CPU per pod: scheduler process ${cpu.self.toFixed(2)} ms (with this benchmark's informer), API server ${cpu.children.toFixed(2)} ms`,
    );
    await scheduler.stop();
    await watcher.stop();
    rest.close();
  } finally {
    await server.stop();
  }
}

await main();
