import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import { newRevision } from "../../../src/controllers/history/revision.js";
import {
  applyRevision,
  chooseUpdateRevision,
  findCurrentRevision,
} from "../../../src/controllers/statefulset/revisions.js";
import {
  sameStatefulStatus,
  statefulSetStatus,
} from "../../../src/controllers/statefulset/status.js";
import { statefulPod, statefulSet } from "./fixtures.js";

const NOW = Date.parse("2024-06-01T00:00:00Z");
const GVK = { apiVersion: "apps/v1", kind: "StatefulSet" };

function stored(image: string, revision: number): ControllerRevision {
  return newRevision(statefulSet({ image }), { gvk: GVK, revision, collisionCount: 0 });
}

describe("stateful set revisions", () => {
  it("creates revision 1 for a new set", () => {
    assert.deepEqual(chooseUpdateRevision(statefulSet(), { revisions: [], collisionCount: 0 }), {
      kind: "create",
      number: 1,
    });
  });

  it("keeps the newest revision when the template is unchanged", () => {
    const r1 = stored("nginx:1", 1);
    const choice = chooseUpdateRevision(statefulSet({ image: "nginx:1" }), {
      revisions: [r1],
      collisionCount: 0,
    });
    assert.equal(choice.kind, "latest");
  });

  it("renumbers an older equal revision on rollback instead of copying it", () => {
    const r1 = stored("nginx:1", 1);
    const r2 = stored("nginx:2", 2);
    const choice = chooseUpdateRevision(statefulSet({ image: "nginx:1" }), {
      revisions: [r1, r2],
      collisionCount: 0,
    });
    assert.equal(choice.kind, "renumber");
    assert.ok(choice.kind === "renumber" && choice.revision === r1 && choice.number === 3);
  });

  it("restores the template a revision holds and finds the current one by name", () => {
    const r1 = stored("nginx:1", 1);
    const r2 = stored("nginx:2", 2);
    const set = statefulSet({ image: "nginx:2" });
    assert.equal(applyRevision(set, r1).spec?.template.spec?.containers[0]?.image, "nginx:1");
    const withStatus = {
      ...set,
      status: { replicas: 0, currentRevision: r1.metadata?.name ?? "" },
    };
    assert.equal(findCurrentRevision(withStatus, { revisions: [r1, r2], update: r2 }), r1);
    assert.equal(findCurrentRevision(set, { revisions: [r1, r2], update: r2 }), r2);
  });
});

describe("stateful set status", () => {
  const revs = { currentRevision: "rev-1", updateRevision: "rev-2", collisionCount: 0, now: NOW };

  it("counts replicas, ready, current and updated pods", () => {
    const set = statefulSet();
    const pods = [
      statefulPod(set, 0),
      statefulPod(set, 1, { ready: false }),
      statefulPod(set, 2, { revision: "rev-2" }),
    ];
    const s = statefulSetStatus(set, { ...revs, pods, currentReplicasDelta: 0 });
    assert.equal(s.replicas, 3);
    assert.equal(s.readyReplicas, 2);
    assert.equal(s.availableReplicas, 2);
    assert.equal(s.currentReplicas, 2);
    assert.equal(s.updatedReplicas, 1);
    assert.equal(s.currentRevision, "rev-1");
    assert.equal(s.updateRevision, "rev-2");
    assert.equal(s.observedGeneration, 1);
  });

  it("completes a rolling update once every replica is updated and ready", () => {
    const set = statefulSet({ replicas: 2 });
    const pods = [0, 1].map((i) => statefulPod(set, i, { revision: "rev-2" }));
    const s = statefulSetStatus(set, { ...revs, pods, currentReplicasDelta: 0 });
    assert.equal(s.currentRevision, "rev-2");
    assert.equal(s.currentReplicas, 2);
    assert.ok(sameStatefulStatus(s, { ...s }));
    assert.ok(!sameStatefulStatus(s, { ...s, readyReplicas: 1 }));
  });
});
