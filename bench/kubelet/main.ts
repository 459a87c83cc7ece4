/**
 * Pod startup benchmark (issue #6): pod startup latency, create -> Running
 * observed by a watch, for N pods (default 100) created at once on one node
 * with the image present, and the kubelet's memory with them running. Aim:
 * p99 <= 1 s (upstream SLO: 5 s).
 *
 * The API server runs in its own process (bench/apiserver/server.ts) and
 * the registry is docker-registry, so this process holds the kubelet, its
 * in-process engine and the benchmark's own client and watch. The peer is
 * the same pods started straight on the engine (RunPodSandbox +
 * CreateContainer + StartContainer, no kubelet, no API), so the kubelet's
 * overhead shows. Needs root, runc, conmon, catatonit, the CNI plugins and
 * docker-registry.
 *
 *   sudo npm run bench:kubelet [-- --pods 100 --single 10 --peer-concurrency 16
 *                                 --kubelet-qps 50 --steady-seconds 10 --trace-runc]
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { Informer, objectOf } from "../../src/client/informer/informer.js";
import { isNotFound } from "../../src/client/rest/errors.js";
import { containerConfig } from "../../src/kubelet/cri/container-config.js";
import { podLogDirName, sandboxConfig } from "../../src/kubelet/cri/sandbox-config.js";
import type { Engine } from "../../src/runtime/engine/engine.js";
import { machineLine } from "../support/server.js";
import { type BenchNode, checkHost, NODE_NAME, startBenchNode } from "./node.js";
import { type PodMarks, RuntimeTimer } from "./timed-runtime.js";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "100" },
    single: { type: "string", default: "10" },
    "peer-concurrency": { type: "string", default: "16" },
    "kubelet-qps": { type: "string" },
    "steady-seconds": { type: "string", default: "10" },
    timeout: { type: "string", default: "600" },
    "trace-runc": { type: "boolean", default: false },
  },
});
const PODS = Number(values.pods);
const SINGLE = Number(values.single);
const PEER_WIDTH = Number(values["peer-concurrency"]);
const KUBELET_QPS = values["kubelet-qps"] ? Number(values["kubelet-qps"]) : undefined;
const STEADY_S = Number(values["steady-seconds"]);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const TRACE_RUNC = values["trace-runc"] ?? false;

const NS = "default";
const IMAGE = "busybox:1.36";
const LABEL = "bench-kubelet";
/** Matches the kubelet's default CRI settings for the pods (dnsPolicy ClusterFirst, clusterDNS 10.43.0.10). */
const DNS = {
  servers: ["10.43.0.10"],
  searches: [`${NS}.svc.cluster.local`, "svc.cluster.local", "cluster.local", "example.test"],
  options: ["ndots:5"],
};

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
  Number.NaN;
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

function row(xs: number[]): string {
  const s = sorted(xs);
  return `count ${String(s.length).padStart(3)}   p50 ${ms(pct(s, 50))}   p90 ${ms(pct(s, 90))}   p99 ${ms(pct(s, 99))}   max ${ms(s[s.length - 1] ?? Number.NaN)}`;
}

function p50p99(xs: number[]): string {
  const s = sorted(xs);
  return `p50 ${ms(pct(s, 50))}   p99 ${ms(pct(s, 99))}`;
}

async function parallel(
  count: number,
  width: number,
  fn: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = TIMEOUT_MS,
) {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function memory(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

/** This process's CPU seconds and its reaped children's (runc, CNI plugins), from /proc/self/stat. */
function cpuSeconds(): { self: number; children: number } {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14-17 of stat(5) (utime stime cutime cstime), counted from field 3 here; USER_HZ is 100.
  const n = (i: number) => Number(f[i - 3]) / 100;
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

/** conmon processes of this engine (their command lines name its state dir): count and total PSS. */
function conmonMemory(stateDir: string): { count: number; pss: number } {
  let count = 0;
  let pss = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "conmon") continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(stateDir)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const kb = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      count++;
      pss += kb * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return { count, pss };
}

function runcCounts(log: string | undefined): string {
  if (!log) return "";
  let text = "";
  try {
    text = readFileSync(log, "utf8");
  } catch {
    return "none";
  }
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

function benchPod(name: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, labels: { app: LABEL } },
    spec: {
      nodeName: NODE_NAME,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "sleep",
          image: IMAGE,
          imagePullPolicy: "IfNotPresent",
          command: ["sleep", "3600"],
        },
      ],
    },
  };
}

/** When each bench pod was first seen Running, and which are gone, through an informer. */
class PodWatch {
  readonly running = new Map<string, number>();
  readonly deleted = new Set<string>();
  private readonly informer: Informer<Pod>;

  constructor(node: BenchNode) {
    this.informer = new Informer<Pod>(node.pods, {
      namespace: NS,
      labelSelector: `app=${LABEL}`,
      onError: (err, context) => console.error(`watch ${context}: ${String(err)}`),
    });
    const seen = (pod: Pod) => {
      const name = pod.metadata?.name ?? "";
      if (pod.status?.phase === "Running" && !this.running.has(name))
        this.running.set(name, performance.now());
    };
    this.informer.addEventHandler({
      onAdd: seen,
      onUpdate: (_old, pod) => seen(pod),
      onDelete: (obj) => this.deleted.add(objectOf(obj).metadata?.name ?? ""),
    });
  }

  async start(): Promise<void> {
    this.informer.start();
    await this.informer.waitForSync();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }
}

/** Sandbox records in the engine (files, read directly: RecordStore.list() can fail on a record deleted meanwhile). */
function sandboxCount(node: BenchNode): number {
  try {
    return readdirSync(join(node.stateDir, "records", "sandboxes")).filter((f) =>
      f.endsWith(".json"),
    ).length;
  } catch {
    return 0;
  }
}

interface Deletion {
  /** Delete requests sent -> every pod gone from the API. */
  apiMs: number;
  /** -> every sandbox gone from the engine as well; undefined when the kubelet left some. */
  engineMs: number | undefined;
  /** Sandboxes the kubelet had not removed after ORPHAN_WAIT_MS (the benchmark removed them). */
  leftover: number;
}

const ORPHAN_WAIT_MS = 60_000;

/**
 * Deletes the pods (grace 1 s) and waits until the API and the engine have
 * none of them. Sandboxes the kubelet leaves behind are counted, then
 * removed straight through the engine so the next phase starts clean.
 */
async function deletePods(node: BenchNode, watch: PodWatch, names: string[]): Promise<Deletion> {
  const t0 = performance.now();
  await Promise.all(
    names.map((n) =>
      node.pods.delete(n, { namespace: NS, gracePeriodSeconds: 1 }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      }),
    ),
  );
  await waitFor(`${names.length} pods deleted`, () => names.every((n) => watch.deleted.has(n)));
  const apiMs = performance.now() - t0;
  try {
    await waitFor(
      "the engine to remove their sandboxes",
      () => sandboxCount(node) === 0,
      ORPHAN_WAIT_MS,
    );
    return { apiMs, engineMs: performance.now() - t0, leftover: 0 };
  } catch {
    const leftover = sandboxCount(node);
    for (let i = 0; i < 5 && sandboxCount(node) > 0; i++) await node.clearEngine();
    return { apiMs, engineMs: undefined, leftover };
  }
}

function deletionLine(what: string, d: Deletion): string {
  const api = `${what} (grace 1 s) -> gone from the API: ${(d.apiMs / 1000).toFixed(1)} s`;
  return d.engineMs !== undefined
    ? `${api}, and from the engine: ${(d.engineMs / 1000).toFixed(1)} s`
    : `${api}; the kubelet left ${d.leftover} sandboxes behind after ${ORPHAN_WAIT_MS / 1000} s more (removed by the benchmark)`;
}

interface PeerTimes {
  sandbox: number;
  create: number;
  start: number;
  done: number;
}

/** One pod straight on the engine: the CRI configs the kubelet would build, minus its files. */
async function peerPod(
  engine: Engine,
  dir: string,
  imageRef: string,
  i: number,
): Promise<PeerTimes> {
  const pod = benchPod(`peer-${i}`);
  pod.metadata = { ...pod.metadata, uid: randomUUID() };
  const c = pod.spec?.containers[0] as Container;
  const sb = sandboxConfig(pod, {
    attempt: 0,
    hostname: pod.metadata?.name ?? "",
    dnsConfig: DNS,
    logDirectory: join(dir, "peer-logs", podLogDirName(pod)),
  });
  const t0 = performance.now();
  const sandboxId = await engine.runPodSandbox(sb);
  const t1 = performance.now();
  const config = containerConfig(pod, c, {
    restartCount: 0,
    init: false,
    image: imageRef,
    command: c.command ?? [],
    args: [],
    envs: [],
    mounts: [],
    memoryCapacity: 0,
  });
  const id = await engine.createContainer(sandboxId, { config, sandboxConfig: sb });
  const t2 = performance.now();
  await engine.startContainer(id);
  const t3 = performance.now();
  return { sandbox: t1 - t0, create: t2 - t1, start: t3 - t2, done: t3 };
}

function stages(
  marks: Map<string, PodMarks>,
  created: Map<string, number>,
  running: Map<string, number>,
) {
  const rows: [string, number[]][] = [
    ["create -> RunPodSandbox called", []],
    ["RunPodSandbox", []],
    ["sandbox up -> CreateContainer called", []],
    ["CreateContainer", []],
    ["StartContainer", []],
    ["container started -> Running seen", []],
  ];
  const push = (i: number, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && b !== undefined) rows[i]?.[1].push(b - a);
  };
  for (const [name, c] of created) {
    const m = marks.get(name) ?? {};
    push(0, c, m.sandboxAt);
    push(1, m.sandboxAt, m.sandboxDone);
    push(2, m.sandboxDone, m.createAt);
    push(3, m.createAt, m.createDone);
    push(4, m.startAt, m.startDone);
    push(5, m.startDone, running.get(name));
  }
  return rows;
}

async function main(): Promise<void> {
  checkHost();
  console.log(
    `k8ts kubelet benchmark: pod startup latency, ${PODS} pods on one node, ${IMAGE} present`,
  );
  console.log(machineLine());
  const s0 = performance.now();
  const node = await startBenchNode({ traceRunc: TRACE_RUNC });
  let watch: PodWatch | undefined;
  const interrupted = () => {
    console.error("interrupted: cleaning up");
    void Promise.resolve(watch?.stop())
      .catch(() => {})
      .then(() => node.stop())
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const timer = new RuntimeTimer();
    await node.startKubelet(timer.wrap(node.engine), KUBELET_QPS ? { qps: KUBELET_QPS } : {});
    watch = new PodWatch(node);
    await watch.start();
    const w = watch;
    console.log(
      `setup (registry + images, API server in its own process, kubelet here): ${((performance.now() - s0) / 1000).toFixed(1)} s` +
        `; kubelet API client: ${KUBELET_QPS ? `qps ${KUBELET_QPS}, burst ${KUBELET_QPS * 2}` : "default qps 50, burst 100 (as `k8ts kubelet`)"}`,
    );

    // 1. Warm-up: pull and unpack the image, create the pause rootfs, so "image present" holds.
    let t = performance.now();
    await node.pods.create(benchPod("warmup"), { namespace: NS });
    await waitFor("the warm-up pod Running", () => w.running.has("warmup"));
    console.log(
      `warm-up pod (pulls ${IMAGE} from the loopback registry): Running after ${(performance.now() - t).toFixed(0)} ms`,
    );
    const warmDelete = await deletePods(node, w, ["warmup"]);
    if (warmDelete.leftover) console.log(`  ${deletionLine("delete the warm-up pod", warmDelete)}`);
    await sleep(2000);
    const before = memory();
    const peakBefore = process.resourceUsage().maxRSS * 1024;

    // 2. N pods at once.
    timer.reset();
    if (node.runcTrace) rmSync(node.runcTrace, { force: true });
    const logBefore = node.kubeletLog.length;
    const names = Array.from({ length: PODS }, (_, i) => `pod-${String(i).padStart(3, "0")}`);
    const created = new Map<string, number>();
    t = performance.now();
    await Promise.all(
      names.map((n) => {
        created.set(n, performance.now());
        return node.pods.create(benchPod(n), { namespace: NS });
      }),
    );
    const createsMs = performance.now() - t;
    await waitFor(`${PODS} pods Running`, () => names.every((n) => w.running.has(n)));
    const lastRunning = Math.max(...names.map((n) => w.running.get(n) as number));
    const latencies = names.map((n) => (w.running.get(n) as number) - (created.get(n) as number));
    const runcBurst = runcCounts(node.runcTrace);
    const calls = [...timer.calls].sort((a, b) => b[1].calls - a[1].calls);
    const marks = new Map(timer.marks);

    console.log(
      `\n${PODS} pods created at once (all creates answered after ${createsMs.toFixed(0)} ms); create -> Running seen by a watch:`,
    );
    console.log(`  ${row(latencies)}`);
    console.log(
      `  wall time, first create -> last Running: ${((lastRunning - t) / 1000).toFixed(2)} s`,
    );
    console.log("  per pod, where the time goes:");
    for (const [label, xs] of stages(marks, created, w.running))
      console.log(`    ${label.padEnd(38)} ${p50p99(xs)}`);
    console.log(
      `  CRI calls by the kubelet during the burst: ${calls
        .map(([m, s]) => `${m} ${s.calls} (mean ${(s.ms / s.calls).toFixed(0)} ms)`)
        .join(", ")}`,
    );
    if (runcBurst) console.log(`  runc invocations during the burst: ${runcBurst}`);
    console.log(
      `  kubelet warnings/errors during the burst: ${node.kubeletLog.length - logBefore}`,
    );

    await sleep(3000);
    const withPods = memory();
    const peak = process.resourceUsage().maxRSS * 1024;
    const conmon = conmonMemory(node.stateDir);
    console.log(
      "\nmemory of this process (kubelet + its engine + the benchmark's client and watch; the API server and registry are other processes):",
    );
    console.log(`  before the pods:      rss ${MiB(before.rss)}, heapUsed ${MiB(before.heap)}`);
    console.log(
      `  with ${PODS} running:     rss ${MiB(withPods.rss)}, heapUsed ${MiB(withPods.heap)} (peak rss ${MiB(peak)}, ${MiB(peakBefore)} before the pods)`,
    );
    console.log(
      `  conmon (not the kubelet): ${conmon.count} processes, ${MiB(conmon.pss)} PSS in all`,
    );

    if (node.runcTrace) rmSync(node.runcTrace, { force: true });
    const cpu0 = cpuSeconds();
    t = performance.now();
    await sleep(STEADY_S * 1000);
    const cpu1 = cpuSeconds();
    const wall = (performance.now() - t) / 1000;
    console.log(
      `steady state with ${PODS} running pods, ${STEADY_S} s: this process ${((100 * (cpu1.self - cpu0.self)) / wall).toFixed(0)}% of a core, its child processes ${((100 * (cpu1.children - cpu0.children)) / wall).toFixed(0)}%` +
        (node.runcTrace ? `; runc: ${runcCounts(node.runcTrace)}` : ""),
    );

    console.log(deletionLine(`delete ${PODS} pods`, await deletePods(node, w, names)));

    // 3. One pod at a time: the latency without a queue.
    const single: number[] = [];
    const singles: string[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const n = `single-${i}`;
      singles.push(n);
      const c0 = performance.now();
      await node.pods.create(benchPod(n), { namespace: NS });
      await waitFor(`${n} Running`, () => w.running.has(n));
      single.push((w.running.get(n) as number) - c0);
    }
    if (SINGLE > 0) {
      console.log(
        `\none pod at a time (${SINGLE}; each waits for the one before, which keeps running):`,
      );
      console.log(`  ${row(single)}`);
      console.log(`  ${deletionLine(`delete them`, await deletePods(node, w, singles))}`);
    }

    await watch.stop();
    watch = undefined;
    await node.stopKubelet();

    // 4. The peer: the same pods straight on the engine.
    const imageRef = (await node.images.imageStatus({ image: IMAGE }))?.id;
    if (!imageRef) throw new Error(`${IMAGE} vanished from the image store`);
    console.log(
      "\nengine peer (no kubelet, no API): RunPodSandbox + CreateContainer + StartContainer",
    );
    const one: PeerTimes[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const p0 = performance.now();
      const r = await peerPod(node.engine, node.dir, imageRef, 1000 + i);
      one.push({ ...r, done: r.done - p0 });
    }
    await node.clearEngine();
    if (SINGLE > 0) {
      console.log(`  one at a time (${SINGLE}): ${row(one.map((r) => r.done))}`);
      console.log(
        `    p50: sandbox ${pct(sorted(one.map((r) => r.sandbox)), 50).toFixed(0)} ms, create ${pct(sorted(one.map((r) => r.create)), 50).toFixed(0)} ms, start ${pct(sorted(one.map((r) => r.start)), 50).toFixed(0)} ms`,
      );
    }
    const peer: PeerTimes[] = [];
    const p0 = performance.now();
    await parallel(PODS, PEER_WIDTH, async (i) => {
      peer.push(await peerPod(node.engine, node.dir, imageRef, i));
    });
    const peerLat = peer.map((r) => r.done - p0);
    console.log(
      `  ${PODS} at once, ${PEER_WIDTH} at a time (the kubelet's pod worker limit): ${row(peerLat)}`,
    );
    console.log(
      `    wall time ${((Math.max(...peer.map((r) => r.done)) - p0) / 1000).toFixed(2)} s; RunPodSandbox ${p50p99(peer.map((r) => r.sandbox))}; CreateContainer ${p50p99(peer.map((r) => r.create))}; StartContainer ${p50p99(peer.map((r) => r.start))}`,
    );
    await node.clearEngine();

    const k = sorted(latencies);
    const e = sorted(peerLat);
    console.log(
      `\nkubelet over engine peer, ${PODS} at once: p50 ${(pct(k, 50) / pct(e, 50)).toFixed(2)}x (+${(pct(k, 50) - pct(e, 50)).toFixed(0)} ms), p99 ${(pct(k, 99) / pct(e, 99)).toFixed(2)}x (+${(pct(k, 99) - pct(e, 99)).toFixed(0)} ms)`,
    );
  } finally {
    if (node.kubeletLog.length) {
      console.log(`\nthe kubelet logged ${node.kubeletLog.length} warnings/errors; first ones:`);
      for (const line of node.kubeletLog.slice(0, 5)) console.log(`  ${line}`);
    }
    await watch?.stop().catch(() => {});
    await node.stop();
  }
}

try {
  await main();
} catch (err) {
  console.error(`bench:kubelet: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
