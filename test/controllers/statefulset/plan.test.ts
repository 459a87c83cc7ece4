import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  type PlanInput,
  planStatefulSet,
  type StatefulAction,
} from "../../../src/controllers/statefulset/plan.js";
import { statefulPod, statefulSet } from "./fixtures.js";

const NOW = Date.parse("2024-06-01T00:00:00Z");

function plan(set: StatefulSet, pods: Pod[], o: Partial<PlanInput> = {}) {
  return planStatefulSet({
    set,
    currentSet: set,
    updateSet: set,
    currentRevision: "rev-1",
    updateRevision: "rev-1",
    pods,
    now: NOW,
    claimsUpToDate: () => true,
    ...o,
  });
}

/** Each batch as "type:pod" strings. */
const show = (batches: StatefulAction[][]) =>
  batches.map((b) => b.map((a) => `${a.type}:${a.pod.metadata?.name}`));

describe("ordered stateful set plan", () => {
  it("creates only ordinal 0 at first", () => {
    assert.deepEqual(show(plan(statefulSet(), []).batches), [["create:web-0"]]);
  });

  it("creates ordinal i only once every lower ordinal is Running and Ready", () => {
    const set = statefulSet();
    const pending = statefulPod(set, 0, { phase: "Pending" });
    // A pending pod gets its missing claims made, and nothing moves on.
    assert.deepEqual(show(plan(set, [pending]).batches), [["createClaims:web-0"]]);
    const notReady = statefulPod(set, 0, { ready: false });
    assert.deepEqual(plan(set, [notReady]).batches, []);
    assert.deepEqual(show(plan(set, [statefulPod(set, 0)]).batches), [["create:web-1"]]);
  });

  it("recreates a failed pod under the same name by deleting it first", () => {
    const set = statefulSet();
    const failed = statefulPod(set, 0, { phase: "Failed" });
    assert.deepEqual(show(plan(set, [failed, statefulPod(set, 1)]).batches), [["delete:web-0"]]);
    // Once it is gone the ordinal is empty again and is created.
    assert.deepEqual(show(plan(set, [statefulPod(set, 1)]).batches), [["create:web-0"]]);
  });

  it("scales down from the highest ordinal, one at a time, waiting for termination", () => {
    const set = statefulSet({ replicas: 1 });
    const pods = [0, 1, 2].map((i) => statefulPod(set, i));
    assert.deepEqual(show(plan(set, pods).batches), [["delete:web-2"]]);
    const terminating = [
      statefulPod(set, 0),
      statefulPod(set, 1),
      statefulPod(set, 2, { deleting: true }),
    ];
    assert.deepEqual(plan(set, terminating).batches, []);
  });

  it("does not scale down while a kept pod is unhealthy", () => {
    const set = statefulSet({ replicas: 1 });
    const pods = [statefulPod(set, 0, { ready: false }), statefulPod(set, 1)];
    assert.deepEqual(plan(set, pods).batches, []);
  });

  it("repairs a pod that lost its identity label", () => {
    const set = statefulSet({ replicas: 1 });
    const pod = statefulPod(set, 0);
    const labels = { app: "web", "controller-revision-hash": "rev-1" };
    const stripped = { ...pod, metadata: { ...pod.metadata, labels } };
    assert.deepEqual(show(plan(set, [stripped]).batches), [["fixPod:web-0"]]);
  });

  it("fixes the claims' owners of pods being scaled away", () => {
    const set = statefulSet({ replicas: 1 });
    const pods = [statefulPod(set, 0), statefulPod(set, 1)];
    const p = plan(set, pods, { claimsUpToDate: (pod) => pod.metadata?.name !== "web-1" });
    assert.deepEqual(show(p.batches), [["fixClaims:web-1"], ["delete:web-1"]]);
  });
});

describe("parallel stateful set plan", () => {
  it("creates every missing ordinal at once and does not wait for readiness", () => {
    const set = statefulSet({ parallel: true });
    const pods = [statefulPod(set, 1, { phase: "Pending" })];
    assert.deepEqual(show(plan(set, pods).batches), [
      ["create:web-0", "createClaims:web-1", "create:web-2"],
    ]);
  });

  it("deletes every condemned pod at once", () => {
    const set = statefulSet({ parallel: true, replicas: 1 });
    const pods = [statefulPod(set, 0), statefulPod(set, 1, { ready: false }), statefulPod(set, 2)];
    assert.deepEqual(show(plan(set, pods).batches), [["delete:web-2", "delete:web-1"]]);
  });
});

describe("stateful set rolling update", () => {
  const update = { currentRevision: "rev-1", updateRevision: "rev-2" };

  it("deletes the highest-ordinal outdated pod first, one at a time", () => {
    const set = statefulSet();
    const pods = [0, 1, 2].map((i) => statefulPod(set, i));
    const p = plan(set, pods, update);
    assert.deepEqual(show(p.batches), [["delete:web-2"]]);
    assert.equal(p.currentReplicasDelta, -1);
  });

  it("waits for the updated pod to be healthy before the next", () => {
    const set = statefulSet();
    const pods = [
      statefulPod(set, 0),
      statefulPod(set, 1),
      statefulPod(set, 2, { revision: "rev-2", ready: false }),
    ];
    assert.deepEqual(plan(set, pods, update).batches, []);
    const ready = [
      statefulPod(set, 0),
      statefulPod(set, 1),
      statefulPod(set, 2, { revision: "rev-2" }),
    ];
    assert.deepEqual(show(plan(set, ready, update).batches), [["delete:web-1"]]);
  });

  it("leaves ordinals below the partition at the current revision", () => {
    const set = statefulSet({ partition: 2 });
    const pods = [
      statefulPod(set, 0),
      statefulPod(set, 1),
      statefulPod(set, 2, { revision: "rev-2" }),
    ];
    assert.deepEqual(plan(set, pods, update).batches, []);
  });

  it("recreates a missing ordinal below the partition at the current revision", () => {
    const set = statefulSet({ partition: 2 });
    const current = statefulSet({ partition: 2, image: "nginx:1" });
    const next = statefulSet({ partition: 2, image: "nginx:2" });
    const p = plan(set, [], { ...update, currentSet: current, updateSet: next });
    const created = p.batches[0]?.[0];
    assert.equal(created?.pod.metadata?.labels?.["controller-revision-hash"], "rev-1");
    assert.equal(created?.pod.spec?.containers[0]?.image, "nginx:1");
    const p2 = plan(set, [statefulPod(set, 0), statefulPod(set, 1)], {
      ...update,
      currentSet: current,
      updateSet: next,
    });
    const third = p2.batches[0]?.[0];
    assert.equal(third?.pod.metadata?.name, "web-2");
    assert.equal(third?.pod.spec?.containers[0]?.image, "nginx:2");
  });

  it("does nothing to outdated pods under OnDelete", () => {
    const set = statefulSet({ onDelete: true });
    const pods = [0, 1, 2].map((i) => statefulPod(set, i));
    assert.deepEqual(plan(set, pods, update).batches, []);
  });

  it("only updates status for a set being deleted", () => {
    const set = statefulSet();
    const deleting = {
      ...set,
      metadata: { ...set.metadata, deletionTimestamp: "2024-01-01T00:00:00Z" },
    };
    assert.deepEqual(plan(deleting, []).batches, []);
  });
});
