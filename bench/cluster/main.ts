/**
 * Whole-cluster benchmark: `k8ts server` as its own process (root: runc,
 * CNI, iptables), the test images on a loopback registry as the docker.io
 * mirror. Prints the time from start to node Ready, the server's idle
 * memory and CPU with no workloads, then pod startup latency through the
 * whole stack (Deployment → ReplicaSet → scheduler → kubelet → runc) for
 * a Deployment of N replicas: from the Deployment's create to each pod
 * seen Running by a watch. `k8ts reset` cleans up.
 *
 *   sudo npm run bench:cluster [-- --replicas 100]
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
import { k8ts, spawnK8ts } from "../../test/support/cli.js";
import { startRegistry } from "../../test/support/registry.js";
import { publishTestImages } from "../../test/support/test-images.js";
import { tempDir } from "../../test/support/tmp.js";
import { processUsage } from "../support/proc.js";
import { machineLine } from "../support/server.js";

const { values } = parseArgs({ options: { replicas: { type: "string", default: "100" } } });
const REPLICAS = Number(values.replicas);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  console.log(`k8ts cluster benchmark: k8ts server, then a Deployment of ${REPLICAS} busybox pods`);
  console.log(machineLine());
  const dir = tempDir("bench-cluster");
  const data = join(dir.path, "data");
  const registry = await startRegistry();
  let server: ReturnType<typeof spawnK8ts> | undefined;
  try {
    await publishTestImages(registry.address);
    writeFileSync(
      join(dir.path, "registries.yaml"),
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${registry.address}"\n`,
    );
    const t0 = performance.now();
    server = spawnK8ts([
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
      join(dir.path, "registries.yaml"),
    ]);
    const kc = join(data, "admin.kubeconfig");
    while (!existsSync(kc)) await sleep(50);
    const rest = new RestClient({ ...loadKubeconfig({ path: kc }), qps: 1e6, burst: 1e6 });
    const nodes = new ResourceClient(rest, NODES);
    for (;;) {
      const list = await nodes.list().catch(() => undefined);
      const ready = list?.items.some((n) =>
        (
          n as { status?: { conditions?: { type: string; status: string }[] } }
        ).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      if (ready) break;
      await sleep(100);
    }
    console.log(
      `k8ts server start → node Ready: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const pid = server.child.pid ?? 0;
    await sleep(20_000);
    const a = processUsage(pid);
    await sleep(30_000);
    const b = processUsage(pid);
    console.log(
      `idle, no workloads (after 20 s settling, over 30 s): RSS ${b.rssMiB.toFixed(0)} MiB, CPU ${(((b.cpu - a.cpu) / 30) * 100).toFixed(1)}% of a core`,
    );

    const seen = new Map<string, number>();
    const pods = new Informer<Pod>(new ResourceClient<Pod>(rest, PODS), { namespace: "default" });
    const mark = (p: Pod) => {
      if (p.status?.phase === "Running" && !seen.has(p.metadata?.name ?? ""))
        seen.set(p.metadata?.name ?? "", performance.now());
    };
    pods.addEventHandler({ onAdd: mark, onUpdate: (_o, p) => mark(p) });
    pods.start();
    await pods.waitForSync();
    const deployments = new ResourceClient(rest, DEPLOYMENTS);
    const start = performance.now();
    await deployments.create(
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "bench", namespace: "default" },
        spec: {
          replicas: REPLICAS,
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
    while (seen.size < REPLICAS) {
      if (performance.now() - start > 600_000)
        throw new Error(`only ${seen.size} pods Running after 600 s`);
      await sleep(100);
    }
    const lat = [...seen.values()].map((t) => t - start);
    console.log(
      `Deployment of ${REPLICAS} → pods Running (from the Deployment's create): p50 ${pct(lat, 50).toFixed(0)} ms, p90 ${pct(lat, 90).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms`,
    );
    const c = processUsage(pid);
    await sleep(20_000);
    const d = processUsage(pid);
    console.log(
      `with ${REPLICAS} running pods (over 20 s): RSS ${d.rssMiB.toFixed(0)} MiB, CPU ${(((d.cpu - c.cpu) / 20) * 100).toFixed(1)}% of a core`,
    );
    await pods.stop();
    rest.close();
  } finally {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await new Promise((r) => server?.child.once("exit", r));
    }
    if (existsSync(data)) k8ts("reset", "--data-dir", data, "--force");
    await registry.stop();
    dir.remove();
  }
}

await main();
