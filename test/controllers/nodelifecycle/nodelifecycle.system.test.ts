// System suite: two hollow nodes (the real kubelet over the fake runtime)
// against a real API server, with the node lifecycle and taint eviction
// controllers (short grace period), the ReplicaSet and Deployment
// controllers and the real scheduler. One node's kubelet is stopped: the
// node goes NotReady/Unknown and unreachable-tainted, its pods are marked
// not Ready and evicted as their tolerations run out, a Deployment's pod
// comes back on the other node; the kubelet returns and the taints go.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Node, Pod, Taint } from "kubernetes-types/core/v1.js";
import type { CoreEvent } from "../../../src/client/events/recorder.js";
import { DeploymentController } from "../../../src/controllers/deployment/controller.js";
import { NodeLifecycleController } from "../../../src/controllers/nodelifecycle/controller.js";
import { ReplicaSetController } from "../../../src/controllers/replicaset/controller.js";
import { TaintEvictionController } from "../../../src/controllers/tainteviction/controller.js";
import { Scheduler } from "../../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../../src/util/log.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";
import { type FakeKubelet, startFakeKubelet } from "./fake-kubelet.js";

const GRACE_MS = 3_000;
const MONITOR_MS = 500;
const UNREACHABLE = "node.kubernetes.io/unreachable";

/** Tolerates a lost node for `seconds` (replacing the 300 s admission default). */
const tolerateLoss = (seconds?: number) =>
  ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"].map((key) => ({
    key,
    operator: "Exists",
    effect: "NoExecute",
    ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
  }));

function pod(name: string, nodeName: string, tolerations: object[]): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      nodeName,
      tolerations,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "c", image: "nginx:1" }],
    },
  });
}

const deployment = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        tolerations: tolerateLoss(2),
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "c", image: "nginx:1" }],
      },
    },
  },
});

describe("node lifecycle: a node whose kubelet stops", () => {
  let h: ControllerHarness;
  let scheduler: Scheduler;
  let nodeA: FakeKubelet;
  let nodeB: FakeKubelet;

  const getNode = async (name: string): Promise<Node> =>
    JSON.parse(await h.kubectl(["get", "node", name, "-o", "json"]));
  const getPod = async (name: string): Promise<Pod | undefined> => {
    const r = await h.kubectlRaw(["get", "pod", name, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
  };
  const status = async (node: string) =>
    (await h.kubectl(["get", "node", node, "--no-headers"])).trim().split(/\s+/)[1];
  const readyOf = (p: Pod | undefined) =>
    p?.status?.conditions?.find((c) => c.type === "Ready")?.status;
  const webPods = async () => (await h.pods("default", "app=web")).filter((p) => p.spec?.nodeName);

  before(async () => {
    h = await startControllers((ctx) => [
      new NodeLifecycleController(ctx, { gracePeriodMs: GRACE_MS, monitorPeriodMs: MONITOR_MS }),
      new TaintEvictionController(ctx),
      new ReplicaSetController(ctx),
      new DeploymentController(ctx),
    ]);
    scheduler = new Scheduler(h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    nodeA = await startFakeKubelet(h.rest, { nodeName: "node-a" });
    nodeB = await startFakeKubelet(h.rest, { nodeName: "node-b" });
    for (const n of ["node-a", "node-b"])
      await until(`${n} Ready`, async () => (await status(n)) === "Ready");
  });
  after(async () => {
    await nodeA?.remove();
    await nodeB?.remove();
    await scheduler?.stop();
    await h?.stop();
  });

  it("keeps healthy nodes Ready and untainted past the grace period", async () => {
    await new Promise((r) => setTimeout(r, GRACE_MS + 2 * MONITOR_MS));
    for (const n of ["node-a", "node-b"]) {
      assert.equal(await status(n), "Ready");
      assert.deepEqual((await getNode(n)).spec?.taints ?? [], []);
    }
  });

  it("runs the workload on node-a: the Deployment's pod and two bare pods", async () => {
    // node-b cordoned, so the Deployment's pod can only go to node-a.
    await h.kubectl(["cordon", "node-b"]);
    await until("unschedulable taint on node-b", async () =>
      ((await getNode("node-b")).spec?.taints ?? []).some(
        (t) => t.key === "node.kubernetes.io/unschedulable" && t.effect === "NoSchedule",
      ),
    );
    await h.kubectl(["apply", "-f", "-"], deployment);
    await h.kubectl(["apply", "-f", "-"], pod("brief", "node-a", tolerateLoss(2)));
    await h.kubectl(["apply", "-f", "-"], pod("forever", "node-a", tolerateLoss()));
    const web = await until("web Ready on node-a", async () => {
      const pods = await webPods();
      return pods.length === 1 && readyOf(pods[0]) === "True" ? pods[0] : undefined;
    });
    assert.equal(web?.spec?.nodeName, "node-a");
    for (const name of ["brief", "forever"])
      await until(`${name} Ready`, async () => readyOf(await getPod(name)) === "True");
    await h.kubectl(["uncordon", "node-b"]);
    await until(
      "node-b untainted",
      async () => ((await getNode("node-b")).spec?.taints ?? []).length === 0,
    );
  });

  it("marks node-a NotReady (Unknown) and taints it unreachable once its kubelet is silent for the grace period", async () => {
    const stoppedAt = Date.now();
    await nodeA.stop();
    await until("node-a NotReady", async () => (await status("node-a")) === "NotReady", 15_000);
    const elapsed = Date.now() - stoppedAt;
    // The last renewal was at most one heartbeat before the stop.
    assert.ok(elapsed >= GRACE_MS - 1_000, `not before the grace period (${elapsed} ms)`);
    // One monitor period, a status write and kubectl's polling on top (slack for a loaded machine).
    assert.ok(elapsed <= GRACE_MS + 6_000, `soon after the grace period (${elapsed} ms)`);

    const node = await getNode("node-a");
    const conditions = new Map((node.status?.conditions ?? []).map((c) => [c.type, c]));
    for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
      assert.equal(conditions.get(type)?.status, "Unknown", type);
      assert.equal(conditions.get(type)?.reason, "NodeStatusUnknown");
    }
    assert.equal(conditions.get("Ready")?.message, "Kubelet stopped posting node status.");
    const taints = await until("unreachable taints", async () => {
      const t = (await getNode("node-a")).spec?.taints ?? [];
      return t.length === 2 ? t : undefined;
    });
    const noExecute = taints.find((t: Taint) => t.effect === "NoExecute");
    assert.equal(noExecute?.key, UNREACHABLE);
    assert.ok(noExecute?.timeAdded, "NoExecute taint carries timeAdded");
    assert.ok(taints.some((t: Taint) => t.key === UNREACHABLE && t.effect === "NoSchedule"));
    const table = await h.kubectl(["describe", "node", "node-a"]);
    assert.match(table, /node\.kubernetes\.io\/unreachable:NoExecute/);
  });

  it("marks node-a's pods not Ready and evicts the ones whose tolerationSeconds run out", async () => {
    await until("forever not Ready", async () => readyOf(await getPod("forever")) === "False");
    const brief = await until("brief evicted", async () => {
      const p = await getPod("brief");
      return p === undefined || p.metadata?.deletionTimestamp ? (p ?? "gone") : undefined;
    });
    if (typeof brief !== "string") {
      const target = brief.status?.conditions?.find((c) => c.type === "DisruptionTarget");
      assert.equal(target?.reason, "DeletionByTaintManager");
    }
    const events = JSON.parse(await h.kubectl(["get", "events", "-o", "json"]))
      .items as CoreEvent[];
    assert.ok(
      events.some(
        (e) =>
          e.reason === "TaintManagerEviction" &&
          e.involvedObject?.name === "brief" &&
          e.message === "Marking for deletion Pod default/brief",
      ),
    );
    assert.ok(
      events.some((e) => e.reason === "NodeNotReady" && e.involvedObject?.name === "node-a"),
    );
    // Tolerating unreachable for ever: marked not Ready, never evicted.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal((await getPod("forever"))?.metadata?.deletionTimestamp, undefined);
  });

  it("brings the Deployment's pod back on node-b", async () => {
    const moved = await until(
      "web Ready on node-b",
      async () => {
        const live = (await webPods()).filter((p) => !p.metadata?.deletionTimestamp);
        return live.length === 1 &&
          live[0]?.spec?.nodeName === "node-b" &&
          readyOf(live[0]) === "True"
          ? live[0]
          : undefined;
      },
      20_000,
    );
    assert.ok(moved);
  });

  it("lifts the taints when node-a's kubelet comes back", async () => {
    await nodeA.start();
    await until("node-a Ready", async () => (await status("node-a")) === "Ready", 15_000);
    await until(
      "node-a untainted",
      async () => ((await getNode("node-a")).spec?.taints ?? []).length === 0,
    );
    // Back Ready, nothing left to evict: the pod that tolerates a lost node for ever stays.
    assert.equal((await getPod("forever"))?.metadata?.deletionTimestamp, undefined);
  });
});
