// System suite: the DaemonSet controller against a real API server holding
// Node objects (no kubelets), driven and observed with the real kubectl.
// The first part leaves daemon pods unbound; the second runs the real
// scheduler in-process and plays the kubelet to roll an update and undo it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { ResourceClient } from "../../../src/client/rest/resource.js";
import { PODS } from "../../../src/controllers/common/resources.js";
import { targetNodeName } from "../../../src/controllers/daemonset/affinity.js";
import { DaemonSetController } from "../../../src/controllers/daemonset/controller.js";
import { Scheduler } from "../../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../../src/util/log.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

function node(name: string, taints?: object[]): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
    spec: taints ? { taints } : {},
    status: {
      capacity: { cpu: "2", memory: "4Gi", pods: "110" },
      allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ready" }],
    },
  });
}

function daemonSet(name: string, opts: { image?: string; tolerations?: object[] } = {}): string {
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "c", image: opts.image ?? "nginx:1" }],
          ...(opts.tolerations ? { tolerations: opts.tolerations } : {}),
        },
      },
    },
  });
}

/** Live (not terminating) pods of a DaemonSet by the node they are for. */
async function podsByNode(h: ControllerHarness, app: string): Promise<Map<string, Pod>> {
  const pods = (await h.pods("default", `app=${app}`)).filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
  return new Map(pods.map((p) => [targetNodeName(p) ?? "", p]));
}

const nodesOf = async (h: ControllerHarness, app: string) =>
  [...(await podsByNode(h, app)).keys()].sort().join(",");

describe("daemonset controller: placement", () => {
  let h: ControllerHarness;

  before(async () => {
    h = await startControllers((ctx) => [new DaemonSetController(ctx)]);
    await h.kubectl(["create", "-f", "-"], node("n1"));
    await h.kubectl(["create", "-f", "-"], node("n2"));
    await h.kubectl(
      ["create", "-f", "-"],
      node("n3", [{ key: "dedicated", value: "db", effect: "NoSchedule" }]),
    );
  });
  after(async () => {
    await h?.stop();
  });

  it("runs one pod per untainted node, pinned by a matchFields affinity for the scheduler", async () => {
    await h.kubectl(["apply", "-f", "-"], daemonSet("agent"));
    assert.equal(
      await until("agent on n1,n2", async () =>
        (await nodesOf(h, "agent")) === "n1,n2" ? "ok" : undefined,
      ),
      "ok",
    );
    for (const [name, pod] of await podsByNode(h, "agent")) {
      assert.equal(pod.spec?.nodeName, undefined, "left for the scheduler to bind");
      assert.deepEqual(
        pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
          ?.nodeSelectorTerms,
        [{ matchFields: [{ key: "metadata.name", operator: "In", values: [name] }] }],
      );
      const keys = (pod.spec?.tolerations ?? []).map((t) => t.key);
      assert.ok(keys.includes("node.kubernetes.io/not-ready"));
      assert.ok(keys.includes("node.kubernetes.io/unschedulable"));
      assert.match(pod.metadata?.labels?.["controller-revision-hash"] ?? "", /^[a-z0-9]+$/);
    }
    const status = await until("status", async () => {
      const s = JSON.parse(await h.kubectl(["get", "ds", "agent", "-o", "json"])).status;
      return s?.currentNumberScheduled === 2 ? s : undefined;
    });
    assert.equal(status.desiredNumberScheduled, 2);
    assert.equal(status.numberMisscheduled, 0);
    assert.equal(status.updatedNumberScheduled, 2);
    assert.equal(status.numberUnavailable, 2);
    assert.equal(status.observedGeneration, 1);
  });

  it("puts a pod on the tainted node only for a DaemonSet tolerating the taint", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      daemonSet("tolerant", {
        tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }],
      }),
    );
    await until("tolerant on all three", async () =>
      (await nodesOf(h, "tolerant")) === "n1,n2,n3" ? true : undefined,
    );
    assert.equal(await nodesOf(h, "agent"), "n1,n2");
  });

  it("adds a pod for a new node and removes it when the node goes", async () => {
    await h.kubectl(["create", "-f", "-"], node("n4"));
    await until("agent on n4", async () =>
      (await nodesOf(h, "agent")) === "n1,n2,n4" ? true : undefined,
    );
    await h.kubectl(["delete", "node", "n4"]);
    await until("agent off n4", async () =>
      (await nodesOf(h, "agent")) === "n1,n2" ? true : undefined,
    );
  });

  it("deletes a failed daemon pod and makes a new one on that node", async () => {
    const before = (await podsByNode(h, "agent")).get("n1") as Pod;
    await h.setPodPhase(before, "Failed");
    const replacement = await until("replacement on n1", async () => {
      const p = (await podsByNode(h, "agent")).get("n1");
      return p && p.metadata?.uid !== before.metadata?.uid ? p : undefined;
    });
    assert.equal(replacement.status?.phase, "Pending");
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=agent",
    ]);
    assert.match(events, /FailedDaemonPod/);
  });
});

describe("daemonset controller: rolling update and rollout undo", () => {
  let h: ControllerHarness;
  let scheduler: Scheduler;
  let podClient: ResourceClient<Pod>;

  /** Plays every kubelet: bound pods start and become ready; deleted pods finish terminating. */
  async function kubelet(): Promise<void> {
    for (const pod of await h.pods("default", "app=web")) {
      const name = pod.metadata?.name ?? "";
      if (pod.metadata?.deletionTimestamp) {
        await podClient
          .delete(name, { namespace: "default", gracePeriodSeconds: 0 })
          .catch(() => {});
      } else if (pod.spec?.nodeName && pod.status?.phase === "Pending") {
        await h.setPodPhase(pod, "Running", { ready: true });
      }
    }
  }

  /** Runs the kubelet until every node runs a ready pod of `image`. */
  async function rolledOut(image: string): Promise<Map<string, Pod>> {
    return until(
      `web at ${image}`,
      async () => {
        await kubelet();
        const all = await h.pods("default", "app=web");
        const pods = await podsByNode(h, "web");
        const done =
          all.length === 2 &&
          pods.size === 2 &&
          [...pods.values()].every(
            (p) =>
              p.spec?.containers[0]?.image === image &&
              p.status?.phase === "Running" &&
              p.spec?.nodeName === targetNodeName(p),
          );
        return done ? pods : undefined;
      },
      40_000,
    );
  }

  const revisions = async () =>
    JSON.parse(await h.kubectl(["get", "controllerrevisions", "-l", "app=web", "-o", "json"]))
      .items as { metadata: { name: string }; revision: number }[];

  before(async () => {
    h = await startControllers((ctx) => [new DaemonSetController(ctx)]);
    podClient = new ResourceClient<Pod>(h.rest, PODS);
    scheduler = new Scheduler(h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    await h.kubectl(["create", "-f", "-"], node("n1"));
    await h.kubectl(["create", "-f", "-"], node("n2"));
  });
  after(async () => {
    await scheduler?.stop();
    await h?.stop();
  });

  it("gets its pods bound by the scheduler to the nodes they are pinned to", async () => {
    await h.kubectl(["apply", "-f", "-"], daemonSet("web"));
    const pods = await rolledOut("nginx:1");
    assert.deepEqual([...pods.keys()].sort(), ["n1", "n2"]);
    const revs = await revisions();
    assert.equal(revs.length, 1);
    assert.equal(revs[0]?.revision, 1);
    await until("ready status", async () => {
      const s = JSON.parse(await h.kubectl(["get", "ds", "web", "-o", "json"])).status;
      return s?.numberReady === 2 && s?.numberAvailable === 2 ? s : undefined;
    });
  });

  it("rolls an image change out node by node as revision 2", async () => {
    const first = (await revisions())[0]?.metadata.name ?? "";
    await h.kubectl(["set", "image", "daemonset/web", "c=nginx:2"]);
    // maxUnavailable 1: one old pod goes; the other stays until its node is whole again.
    const terminating = await until("one old pod terminating", async () => {
      const all = await h.pods("default", "app=web");
      const going = all.filter((p) => p.metadata?.deletionTimestamp);
      return going.length > 0 ? going : undefined;
    });
    assert.equal(terminating.length, 1);
    await new Promise((r) => setTimeout(r, 300));
    const stillOld = (await h.pods("default", "app=web")).filter(
      (p) => !p.metadata?.deletionTimestamp && p.spec?.containers[0]?.image === "nginx:1",
    );
    assert.equal(stillOld.length, 1);
    const pods = await rolledOut("nginx:2");
    const revs = await revisions();
    assert.equal(revs.length, 2);
    const second = revs.find((r) => r.metadata.name !== first);
    assert.equal(second?.revision, 2);
    for (const p of pods.values())
      assert.equal(
        `web-${p.metadata?.labels?.["controller-revision-hash"]}`,
        second?.metadata.name,
      );
    const status = await until("updated status", async () => {
      const s = JSON.parse(await h.kubectl(["get", "ds", "web", "-o", "json"])).status;
      return s?.updatedNumberScheduled === 2 && s?.numberAvailable === 2 ? s : undefined;
    });
    assert.equal(status.observedGeneration, 2);
  });

  it("rollout undo re-uses the first revision, renumbered 3", async () => {
    const before = await revisions();
    const first = before.find((r) => r.revision === 1)?.metadata.name ?? "";
    const out = await h.kubectl(["rollout", "undo", "daemonset/web"]);
    assert.match(out, /rolled back/);
    const pods = await rolledOut("nginx:1");
    const revs = await until("revision renumbered", async () => {
      const r = await revisions();
      return r.find((x) => x.metadata.name === first)?.revision === 3 ? r : undefined;
    });
    assert.equal(revs.length, 2, "no copy of the old revision");
    for (const p of pods.values())
      assert.equal(`web-${p.metadata?.labels?.["controller-revision-hash"]}`, first);
    const history = await h.kubectl(["rollout", "history", "daemonset/web"]);
    assert.match(history, /^2\s/m);
    assert.match(history, /^3\s/m);
    assert.doesNotMatch(history, /^1\s/m);
  });
});
