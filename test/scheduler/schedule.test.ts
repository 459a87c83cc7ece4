import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  findNodesThatFit,
  numFeasibleNodesToFind,
  schedulePod,
} from "../../src/scheduler/framework/schedule.js";
import type { Snapshot } from "../../src/scheduler/framework/snapshot.js";
import { buildProfile, defaultProfile } from "../../src/scheduler/plugins/registry.js";
import { preempt } from "../../src/scheduler/preemption/preempt.js";
import { CONTROL_PLANE_TAINT, makeNode, makePod, snapshotOf } from "./fixtures.js";

const profile = defaultProfile();

/** The FailedScheduling text: filter reasons, then what preemption said. */
function failureMessage(pod: Pod, snapshot: Snapshot): string {
  const fit = findNodesThatFit(pod, { snapshot, profile });
  assert.ok(fit.fitError, "expected the pod to fit nowhere");
  const result = preempt(pod, { snapshot, profile, diagnosis: fit.diagnosis });
  assert.equal(result.kind, "none");
  return fit.fitError.withPostFilterMsg(result.kind === "none" ? result.message : "").message;
}

describe("scheduling failures read as upstream's events", () => {
  const cases: { name: string; snapshot: Snapshot; pod: Pod; want: string }[] = [
    {
      name: "a tainted control plane and workers without disktype=ssd",
      snapshot: snapshotOf([
        makeNode("control-plane", { taints: [CONTROL_PLANE_TAINT] }),
        makeNode("worker-1", { labels: { disktype: "hdd" } }),
        makeNode("worker-2"),
      ]),
      pod: makePod("db", { spec: { nodeSelector: { disktype: "ssd" } } }),
      want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: "the only SSD node is too small and has nothing to preempt",
      snapshot: snapshotOf([
        makeNode("ssd", { labels: { disktype: "ssd" }, cpu: "1" }),
        makeNode("hdd-1", { labels: { disktype: "hdd" } }),
        makeNode("hdd-2", { labels: { disktype: "hdd" } }),
      ]),
      pod: makePod("db", { requests: { cpu: "2" }, spec: { nodeSelector: { disktype: "ssd" } } }),
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    },
    {
      name: "the SSD node is full of equal-priority pods",
      snapshot: snapshotOf(
        [
          makeNode("ssd", { labels: { disktype: "ssd" }, cpu: "2" }),
          makeNode("hdd", { labels: { disktype: "hdd" } }),
        ],
        [makePod("busy", { nodeName: "ssd", requests: { cpu: "2" } })],
      ),
      pod: makePod("db", { requests: { cpu: "1" }, spec: { nodeSelector: { disktype: "ssd" } } }),
      want: "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(failureMessage(c.pod, c.snapshot), c.want));
  }

  it("a PreFilter rejection replaces the per-node reasons", () => {
    const snapshot = snapshotOf([makeNode("a"), makeNode("b"), makeNode("c")]);
    const pod = makePod("p", {
      spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] },
    });
    const lookups = {
      getPVC: () => ({ metadata: { name: "data" }, spec: { storageClassName: "standard" } }),
    };
    const fit = findNodesThatFit(pod, { snapshot, profile, lookups });
    const result = preempt(pod, { snapshot, profile, lookups, diagnosis: fit.diagnosis });
    assert.equal(
      fit.fitError?.withPostFilterMsg(result.kind === "none" ? result.message : "").message,
      "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    assert.deepEqual([...(fit.diagnosis.unschedulablePlugins ?? [])], ["VolumeBinding"]);
  });

  it("records which plugins rejected the pod, for the queue's event filtering", () => {
    const snapshot = snapshotOf([
      makeNode("cp", { taints: [CONTROL_PLANE_TAINT] }),
      makeNode("w", { cpu: "1" }),
    ]);
    const fit = findNodesThatFit(makePod("p", { requests: { cpu: "2" } }), { snapshot, profile });
    assert.deepEqual([...fit.diagnosis.unschedulablePlugins].sort(), [
      "NodeResourcesFit",
      "TaintToleration",
    ]);
  });
});

describe("schedulePod", () => {
  const random = () => 0.5;

  it("places the pod on the only SSD node without scoring", () => {
    const snapshot = snapshotOf([
      makeNode("ssd", { labels: { disktype: "ssd" } }),
      makeNode("hdd"),
    ]);
    const result = schedulePod(makePod("p", { spec: { nodeSelector: { disktype: "ssd" } } }), {
      snapshot,
      profile,
      random,
    });
    assert.deepEqual(result, {
      kind: "scheduled",
      host: "ssd",
      feasibleNodes: 1,
      processed: 2,
      scores: [],
    });
  });

  it("prefers the emptier node by resource scores", () => {
    const snapshot = snapshotOf(
      [makeNode("busy"), makeNode("idle")],
      [makePod("hog", { nodeName: "busy", requests: { cpu: "3", memory: "6Gi" } })],
    );
    const result = schedulePod(makePod("p", { requests: { cpu: "500m", memory: "512Mi" } }), {
      snapshot,
      profile,
      random,
    });
    assert.equal(result.kind === "scheduled" ? result.host : "", "idle");
  });

  it("weighs preferred node affinity by its default weight of 2", () => {
    const snapshot = snapshotOf([
      makeNode("plain"),
      makeNode("fast", { labels: { disktype: "ssd" } }),
    ]);
    const pod = makePod("p", {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: {
                  matchExpressions: [{ key: "disktype", operator: "In", values: ["ssd"] }],
                },
              },
            ],
          },
        },
      },
    });
    const result = schedulePod(pod, { snapshot, profile, random });
    assert.equal(result.kind, "scheduled");
    if (result.kind !== "scheduled") return;
    assert.equal(result.host, "fast");
    const fast = result.scores.find((s) => s.name === "fast");
    assert.equal(fast?.byPlugin.NodeAffinity, 200);
  });

  it("avoids PreferNoSchedule taints through TaintToleration's weight of 3", () => {
    const snapshot = snapshotOf([
      makeNode("spot", { taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] }),
      makeNode("on-demand"),
    ]);
    const result = schedulePod(makePod("p"), { snapshot, profile, random });
    assert.equal(result.kind === "scheduled" ? result.host : "", "on-demand");
  });

  it("runs scorers with custom weights", () => {
    const only = buildProfile({ scoreWeights: { ImageLocality: 1 } });
    assert.deepEqual(
      only.scorers.map((s) => s.plugin.name),
      ["ImageLocality"],
    );
    assert.equal(only.filters.length, 9);
  });

  it("reports an empty cluster as upstream does", () => {
    const result = schedulePod(makePod("p"), { snapshot: snapshotOf([]), profile, random });
    assert.deepEqual(result, { kind: "noNodes", message: "no nodes available to schedule pods" });
  });
});

describe("numFeasibleNodesToFind", () => {
  it("checks every node of a small cluster and a shrinking share of a large one", () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(100), 100);
    assert.equal(numFeasibleNodesToFind(1000), 420); // 50% - 8%
    assert.equal(numFeasibleNodesToFind(5000), 500); // 50% - 40% = 10%
    assert.equal(numFeasibleNodesToFind(20_000), 1000); // floor of 5%
    assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
  });
});
