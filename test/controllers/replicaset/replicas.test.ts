import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { slowStartBatch } from "../../../src/controllers/common/batch.js";
import { selectControllers } from "../../../src/controllers/manager/controller-manager.js";
import { BURST_REPLICAS, decideReplicas } from "../../../src/controllers/replicaset/replicas.js";
import { calculateStatus } from "../../../src/controllers/replicaset/status.js";

const pod = (name: string, ready = false, labels: Record<string, string> = { app: "a" }): Pod => ({
  metadata: { name, labels },
  spec: { containers: [] },
  status: ready
    ? {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }],
      }
    : { phase: "Pending" },
});

describe("replica decisions", () => {
  it("creates the missing pods, at most a burst at a time", () => {
    assert.deepEqual(decideReplicas(3, [pod("a")]), { kind: "create", count: 2 });
    assert.deepEqual(decideReplicas(5000, []), { kind: "create", count: BURST_REPLICAS });
    assert.deepEqual(decideReplicas(1, [pod("a")]), { kind: "none" });
  });

  it("deletes the extras, least valuable first", () => {
    const d = decideReplicas(1, [pod("ready", true), pod("pending")]);
    assert.equal(d.kind, "delete");
    assert.deepEqual(d.kind === "delete" && d.pods.map((p) => p.metadata?.name), ["pending"]);
  });

  it("slow start doubles batches and stops after a failing batch", async () => {
    const calls: number[] = [];
    let n = 0;
    const ok = await slowStartBatch(10, async () => {
      calls.push(n++);
    });
    assert.deepEqual(ok, { succeeded: 10, attempted: 10, error: undefined });
    n = 0;
    const failing = await slowStartBatch(10, async () => {
      if (n++ >= 2) throw new Error("quota");
    });
    // Batch 1 succeeds; batch 2 has a failure, so the remaining 7 are never attempted.
    assert.equal(failing.attempted, 3);
    assert.equal(failing.succeeded, 2);
    assert.match(String(failing.error), /quota/);
  });
});

describe("replica set status", () => {
  it("counts fully labelled, ready and available pods and reports failures", () => {
    const s = calculateStatus({
      current: undefined,
      generation: 4,
      templateLabels: { app: "a", tier: "web" },
      minReadySeconds: 30,
      pods: [pod("a", true, { app: "a", tier: "web" }), pod("b", true), pod("c")],
      manageError: new Error('pods "x" is forbidden: exceeded quota'),
      now: Date.parse("2026-01-01T00:00:10Z"),
    });
    assert.equal(s.replicas, 3);
    assert.equal(s.fullyLabeledReplicas, 1);
    assert.equal(s.readyReplicas, 2);
    assert.equal(s.availableReplicas, 0); // ready for 10 s of the 30 needed
    assert.equal(s.observedGeneration, 4);
    assert.equal(s.conditions?.[0]?.type, "ReplicaFailure");
    assert.equal(s.conditions?.[0]?.reason, "FailedCreate");
  });
});

describe("controller selection", () => {
  it("follows upstream's --controllers syntax", () => {
    assert.ok(selectControllers(["*"]).includes("replicaset"));
    assert.ok(!selectControllers(["*", "-replicaset"]).includes("replicaset"));
    assert.deepEqual(selectControllers(["replicaset"]), ["replicaset"]);
    assert.throws(() => selectControllers(["nope"]), /unknown controller "nope"/);
  });
});
