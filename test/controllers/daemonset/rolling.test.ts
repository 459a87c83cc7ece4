import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { nodeShouldRunDaemonPod } from "../../../src/controllers/daemonset/eligibility.js";
import {
  allowsSurge,
  rollingLimits,
  scaledValue,
} from "../../../src/controllers/daemonset/limits.js";
import { podsByNode } from "../../../src/controllers/daemonset/placement.js";
import {
  findUpdatedPodsOnNode,
  planRollingUpdate,
} from "../../../src/controllers/daemonset/rolling.js";
import { daemonPod, daemonSet, node } from "./fixtures.js";

const NOW = Date.parse("2024-06-01T00:00:00Z");

function step(ds: ReturnType<typeof daemonSet>, pods: Pod[], nodeNames: string[]) {
  return planRollingUpdate(ds, {
    nodes: nodeNames.map((n) => node(n)),
    byNode: podsByNode(pods),
    hash: "new",
    fit: (n) => nodeShouldRunDaemonPod(n, ds),
    now: NOW,
  });
}

describe("daemonset rolling update limits", () => {
  it("scales percentages up and falls back to one unavailable", () => {
    assert.equal(scaledValue("25%", { total: 10, roundUp: true }), 3);
    assert.equal(scaledValue("25%", { total: 10, roundUp: false }), 2);
    assert.equal(scaledValue(2, { total: 10, roundUp: true }), 2);
    assert.deepEqual(rollingLimits(daemonSet({ maxUnavailable: "20%" }), 10), {
      maxSurge: 0,
      maxUnavailable: 2,
    });
    assert.deepEqual(rollingLimits(daemonSet({ maxUnavailable: 0, maxSurge: 0 }), 3), {
      maxSurge: 0,
      maxUnavailable: 1,
    });
    assert.equal(allowsSurge(daemonSet({ maxSurge: "10%", maxUnavailable: 0 })), true);
    assert.equal(allowsSurge(daemonSet()), false);
    assert.deepEqual(rollingLimits(daemonSet({ onDelete: true }), 3), {
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });

  it("finds at most one new and one old live pod per node", () => {
    const r = findUpdatedPodsOnNode([daemonPod("a", { hash: "old" }), daemonPod("a")], "new");
    assert.ok(r.ok && r.newPod && r.oldPod);
    assert.equal(findUpdatedPodsOnNode([daemonPod("a"), daemonPod("a")], "new").ok, false);
  });
});

describe("daemonset rolling update step", () => {
  it("deletes one available old pod at a time (maxUnavailable 1)", () => {
    const pods = ["a", "b", "c"].map((n) => daemonPod(n, { hash: "old" }));
    const plan = step(daemonSet(), pods, ["a", "b", "c"]);
    assert.deepEqual(
      plan.delete.map((p) => p.spec?.nodeName),
      ["a"],
    );
    assert.deepEqual(plan.createOn, []);
  });

  it("waits while a new pod is not yet available", () => {
    const pods = [
      daemonPod("a", { hash: "new", phase: "Pending", ready: false }),
      daemonPod("b", { hash: "old" }),
    ];
    assert.deepEqual(step(daemonSet(), pods, ["a", "b"]).delete, []);
  });

  it("counts a node without a pod as unavailable", () => {
    const pods = [daemonPod("b", { hash: "old" })];
    assert.deepEqual(step(daemonSet(), pods, ["a", "b"]).delete, []);
  });

  it("replaces unavailable old pods regardless of the budget", () => {
    const pods = [
      daemonPod("a", { hash: "old", phase: "Pending", ready: false }),
      daemonPod("b", { hash: "old", phase: "Pending", ready: false }),
      daemonPod("c", { hash: "old" }),
    ];
    const plan = step(daemonSet(), pods, ["a", "b", "c"]);
    assert.deepEqual(plan.delete.map((p) => p.spec?.nodeName).sort(), ["a", "b"]);
  });

  it("honours a percentage maxUnavailable", () => {
    const nodes = ["a", "b", "c", "d"];
    const pods = nodes.map((n) => daemonPod(n, { hash: "old" }));
    const plan = step(daemonSet({ maxUnavailable: "50%" }), pods, nodes);
    assert.equal(plan.delete.length, 2);
  });

  it("with surge creates new pods beside old ones, then deletes the old once available", () => {
    const ds = daemonSet({ maxSurge: 1, maxUnavailable: 0 });
    const first = step(
      ds,
      [daemonPod("a", { hash: "old" }), daemonPod("b", { hash: "old" })],
      ["a", "b"],
    );
    assert.deepEqual(first, { delete: [], createOn: ["a"] });
    const oldA = daemonPod("a", { hash: "old" });
    const surging = step(
      ds,
      [
        oldA,
        daemonPod("a", { hash: "new", phase: "Pending", ready: false }),
        daemonPod("b", { hash: "old" }),
      ],
      ["a", "b"],
    );
    assert.deepEqual(surging, { delete: [], createOn: [] });
    const done = step(
      ds,
      [oldA, daemonPod("a", { hash: "new" }), daemonPod("b", { hash: "old" })],
      ["a", "b"],
    );
    assert.deepEqual(done.delete, [oldA]);
    assert.deepEqual(done.createOn, ["b"]);
  });
});
