import { parseArgs } from "node:util";
import type { Deployment } from "kubernetes-types/apps/v1.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { DEPLOYMENTS } from "../../src/controllers/common/resources.js";
import { spawnK8ts } from "../../test/support/cli.js";
import { tempDir } from "../../test/support/tmp.js";
import { processUsage, stopChild } from "../support/proc.js";
import { machineLine, startBenchServer } from "../support/server.js";

const { values } = parseArgs({
  options: {
    replicas: { type: "string", default: "3000" },
    nodes: { type: "string", default: "50" },
  },
});
const REPLICAS = Number(values.replicas);
const NODES = Number(values.nodes);

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  console.log(
    `k8ts controller benchmark: Deployment of ${REPLICAS} replicas on ${NODES} hollow nodes`,
  );
  console.log(machineLine());
  const server = await startBenchServer("bench-controllers");
  const dir = tempDir("bench-controllers");
  const kc = server.kubeconfig;
  const procs = [
    spawnK8ts([
      "hollow-nodes",
      "--kubeconfig",
      kc,
      "--count",
      String(NODES),
      "--root-dir",
      dir.path,
    ]),
    spawnK8ts(["scheduler", "--kubeconfig", kc]),
    spawnK8ts(["controller-manager", "--kubeconfig", kc]),
  ];
  const cm = procs[2]?.child;
  try {
    const rest = new RestClient({ ...loadKubeconfig({ path: kc }), qps: 1e6, burst: 1e6 });
    const deployments = new ResourceClient<Deployment>(rest, DEPLOYMENTS);
    const nodes = new ResourceClient(rest, {
      group: "",
      version: "v1",
      resource: "nodes",
      namespaced: false,
    });
    await waitFor("nodes", async () => (await nodes.list()).items.length === NODES, 120_000);
    const pid = cm?.pid ?? 0;
    const d: Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "bench", namespace: "default" },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app: "bench" } },
        template: {
          metadata: { labels: { app: "bench" } },
          spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.9" }] },
        },
      },
    };
    const phase = async (
      label: string,
      done: (x: Deployment) => boolean,
      act: () => Promise<unknown>,
    ) => {
      const before = processUsage(pid);
      let peak = before.rssMiB;
      const start = performance.now();
      await act();
      await waitFor(
        label,
        async () => {
          peak = Math.max(peak, processUsage(pid).rssMiB);
          return done(await deployments.get("bench", { namespace: "default" }));
        },
        1_800_000,
      );
      const secs = (performance.now() - start) / 1000;
      const after = processUsage(pid);
      console.log(
        `${label}: ${secs.toFixed(1)} s (${(REPLICAS / secs).toFixed(0)} pods/s); controller-manager CPU ${(after.cpu - before.cpu).toFixed(1)} s (${(((after.cpu - before.cpu) / secs) * 100).toFixed(0)}% of a core), RSS peak ${peak.toFixed(0)} MiB`,
      );
    };
    await phase(
      "create: all replicas available",
      (x) => (x.status?.availableReplicas ?? 0) === REPLICAS,
      () => deployments.create(d, { namespace: "default" }),
    );
    await phase(
      "rolling update: all replicas updated and available",
      (x) =>
        (x.status?.observedGeneration ?? 0) >= (x.metadata?.generation ?? 0) &&
        x.status?.updatedReplicas === REPLICAS &&
        x.status?.replicas === REPLICAS &&
        x.status?.availableReplicas === REPLICAS,
      () =>
        deployments.patch(
          "bench",
          { spec: { template: { metadata: { annotations: { rollout: "2" } } } } },
          { namespace: "default", type: "merge" },
        ),
    );
    rest.close();
  } finally {
    for (const [i, p] of procs.entries()) {
      await stopChild(p.child, {
        onKill: () =>
          console.log(
            `${["hollow-nodes", "scheduler", "controller-manager"][i]} did not stop within 30 s of SIGTERM: killed`,
          ),
      });
    }
    await server.stop();
    dir.remove();
  }
}

await main();
