/**
 * Whole-cluster benchmark: `k8ts server` as its own process (root: runc,
 * CNI, iptables), the test images on a loopback registry as the docker.io
 * mirror. Prints the time from start to node Ready, the server's idle
 * memory and CPU with no workloads, then pod startup latency through the
 * whole stack (Deployment → ReplicaSet → scheduler → kubelet → runc) for
 * a Deployment of N replicas: from the Deployment's create to each pod
 * seen Running by a watch, and the server's CPU and memory once they run.
 * `k8ts reset` cleans up.
 *
 * The peer: the same Deployment on the fake runtime — `k8ts server
 * --disable-agent` with one hollow node (`k8ts hollow-nodes`) — so the
 * difference is what running real containers costs.
 *
 * `--profile FILE` writes a CPU profile (.cpuprofile, Chrome DevTools
 * format) of the server over the steady-state window with N pods running,
 * and prints where its samples fell.
 *
 *   sudo npm run bench:cluster [-- --replicas 100 --steady-seconds 30 --profile /tmp/server.cpuprofile --no-peer]
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Informer } from "../../src/client/informer/informer.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { DEPLOYMENTS, NODES, PODS } from "../../src/controllers/common/resources.js";
import { mountsUnder, unmount } from "../../src/kubelet/volumes/mounter.js";
import { k8ts, spawnK8ts } from "../../test/support/cli.js";
import { startRegistry } from "../../test/support/registry.js";
import { publishTestImages } from "../../test/support/test-images.js";
import { tempDir } from "../../test/support/tmp.js";
import { captureProfile, inspectorUrl, summarize } from "../support/cpu-profile.js";
import { processUsage, stopChild } from "../support/proc.js";
import { machineLine } from "../support/server.js";

const { values } = parseArgs({
  options: {
    replicas: { type: "string", default: "100" },
    "steady-seconds": { type: "string", default: "30" },
    profile: { type: "string" },
    "no-peer": { type: "boolean", default: false },
  },
});
const REPLICAS = Number(values.replicas);
const STEADY_S = Number(values["steady-seconds"]);
const PROFILE = values.profile;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Waits for the admin kubeconfig, then for `want` Ready nodes; returns a client. */
async function waitReady(kubeconfig: string, want: number): Promise<RestClient> {
  while (!existsSync(kubeconfig)) await sleep(50);
  const rest = new RestClient({ ...loadKubeconfig({ path: kubeconfig }), qps: 1e6, burst: 1e6 });
  const nodes = new ResourceClient(rest, NODES);
  for (;;) {
    const list = await nodes.list().catch(() => undefined);
    const ready = (list?.items ?? []).filter((n) =>
      (
        n as { status?: { conditions?: { type: string; status: string }[] } }
      ).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
    if (ready.length >= want) return rest;
    await sleep(100);
  }
}

/** Creates a Deployment of `replicas` busybox pods; resolves with each pod's create → Running latency. */
async function deploymentLatencies(rest: RestClient, replicas: number): Promise<number[]> {
  const seen = new Map<string, number>();
  const pods = new Informer<Pod>(new ResourceClient<Pod>(rest, PODS), { namespace: "default" });
  const mark = (p: Pod) => {
    if (p.status?.phase === "Running" && !seen.has(p.metadata?.name ?? ""))
      seen.set(p.metadata?.name ?? "", performance.now());
  };
  pods.addEventHandler({ onAdd: mark, onUpdate: (_o, p) => mark(p) });
  pods.start();
  await pods.waitForSync();
  const start = performance.now();
  await new ResourceClient(rest, DEPLOYMENTS).create(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "bench", namespace: "default" },
      spec: {
        replicas,
        selector: { matchLabels: { app: "bench" } },
        template: {
          metadata: { labels: { app: "bench" } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "3600"] }],
          },
        },
      },
    } as never,
    { namespace: "default" },
  );
  try {
    while (seen.size < replicas) {
      if (performance.now() - start > 600_000)
        throw new Error(`only ${seen.size} pods Running after 600 s`);
      await sleep(100);
    }
  } finally {
    await pods.stop();
  }
  return [...seen.values()].map((t) => t - start);
}

const latencyLine = (what: string, lat: number[]) =>
  `${what}: p50 ${pct(lat, 50).toFixed(0)} ms, p90 ${pct(lat, 90).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms`;

/** CPU (% of a core) and RSS of `pid` over `s` seconds. */
async function usageOver(pid: number, s: number): Promise<string> {
  const a = processUsage(pid);
  await sleep(s * 1000);
  const b = processUsage(pid);
  return `RSS ${b.rssMiB.toFixed(0)} MiB, CPU ${(((b.cpu - a.cpu) / s) * 100).toFixed(1)}% of a core`;
}

async function realNode(dir: string, registries: string): Promise<void> {
  const data = join(dir, "data");
  const t0 = performance.now();
  const server = spawnK8ts(
    [
      "server",
      "--data-dir",
      data,
      "--https-listen-port",
      "0",
      "--kubelet-port",
      "0",
      "--cni-bridge",
      "k8tsbench0",
      "--cluster-cidr",
      "10.179.0.0/16",
      "--cluster-dns-port",
      "5399",
      "--registries",
      registries,
    ],
    PROFILE ? { nodeOptions: ["--inspect=127.0.0.1:0"] } : {},
  );
  try {
    const rest = await waitReady(join(data, "admin.kubeconfig"), 1);
    console.log(`k8ts server start → node Ready: ${seconds(performance.now() - t0)}`);
    const pid = server.child.pid ?? 0;
    await sleep(20_000);
    console.log(`idle, no workloads (after 20 s settling, over 30 s): ${await usageOver(pid, 30)}`);

    const lat = await deploymentLatencies(rest, REPLICAS);
    console.log(latencyLine(`Deployment of ${REPLICAS} → pods Running (runc)`, lat));
    console.log(`with ${REPLICAS} running pods, first 20 s: ${await usageOver(pid, 20)}`);
    const url = PROFILE ? inspectorUrl(server.stderr()) : undefined;
    if (PROFILE && !url) throw new Error("the server printed no inspector address");
    const [steady, profile] = await Promise.all([
      usageOver(pid, STEADY_S),
      url ? captureProfile(url, STEADY_S * 1000) : undefined,
    ]);
    console.log(`with ${REPLICAS} running pods, steady (next ${STEADY_S} s): ${steady}`);
    if (PROFILE && profile) {
      writeFileSync(PROFILE, JSON.stringify(profile));
      const { self, files } = summarize(profile);
      console.log(`CPU profile of the steady window: ${PROFILE}\n  self time by function:`);
      for (const l of self) console.log(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name}`);
      console.log("  total time by source file (self + callees):");
      for (const l of files) console.log(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name}`);
    }
    rest.close();
  } finally {
    await stopChild(server.child);
    if (existsSync(data)) k8ts("reset", "--data-dir", data, "--force");
  }
}

/** The peer: the same Deployment on one hollow node (fake runtime), control plane unchanged. */
async function hollowNode(dir: string): Promise<void> {
  const data = join(dir, "data-fake");
  const server = spawnK8ts([
    "server",
    "--data-dir",
    data,
    "--disable-agent",
    "--https-listen-port",
    "0",
    "--cluster-dns-port",
    "5399",
  ]);
  let hollow: ReturnType<typeof spawnK8ts> | undefined;
  try {
    const kubeconfig = join(data, "admin.kubeconfig");
    while (!existsSync(kubeconfig)) await sleep(50);
    hollow = spawnK8ts([
      "hollow-nodes",
      "--kubeconfig",
      kubeconfig,
      "--count",
      "1",
      "--root-dir",
      join(dir, "hollow"),
    ]);
    const rest = await waitReady(kubeconfig, 1);
    const lat = await deploymentLatencies(rest, REPLICAS);
    console.log(latencyLine(`peer: the same Deployment on a hollow node (fake runtime)`, lat));
    console.log(
      `  server with ${REPLICAS} hollow pods: ${await usageOver(server.child.pid ?? 0, 20)}`,
    );
    rest.close();
  } finally {
    if (hollow)
      await stopChild(hollow.child, {
        onKill: () => console.log("  (hollow-nodes killed after 30 s)"),
      });
    await stopChild(server.child);
    // The hollow kubelet mounts real tmpfs volumes (service-account tokens).
    for (const m of await mountsUnder(join(dir, "hollow"))) await unmount(m).catch(() => {});
  }
}

async function main(): Promise<void> {
  console.log(`k8ts cluster benchmark: k8ts server, then a Deployment of ${REPLICAS} busybox pods`);
  console.log(machineLine());
  const dir = tempDir("bench-cluster");
  const registry = await startRegistry();
  try {
    await publishTestImages(registry.address);
    const registries = join(dir.path, "registries.yaml");
    writeFileSync(
      registries,
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${registry.address}"\n`,
    );
    await realNode(dir.path, registries);
    if (!values["no-peer"]) await hollowNode(dir.path);
  } finally {
    await registry.stop();
    dir.remove();
  }
}

await main();
