import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { scaledValue } from "../../../src/controllers/common/int-or-percent.js";
import { replicaSetAnnotations } from "../../../src/controllers/deployment/annotations.js";
import { replicaSetsToCleanUp } from "../../../src/controllers/deployment/cleanup.js";
import { timedOut, updateProgress } from "../../../src/controllers/deployment/progress.js";
import { fenceposts } from "../../../src/controllers/deployment/replica-sets.js";
import {
  newReplicaSetReplicas,
  planOldScaleDown,
} from "../../../src/controllers/deployment/rolling.js";
import { isScalingEvent, planScale } from "../../../src/controllers/deployment/scaling.js";
import { calculateStatus } from "../../../src/controllers/deployment/status.js";

function dep(
  replicas: number,
  o: { surge?: number | string; unavailable?: number | string; recreate?: boolean } = {},
): Deployment {
  return {
    metadata: { name: "d", generation: 1, annotations: { "kubernetes.io/change-cause": "why" } },
    spec: {
      replicas,
      selector: { matchLabels: { app: "d" } },
      template: { spec: { containers: [] } },
      progressDeadlineSeconds: 600,
      strategy: o.recreate
        ? { type: "Recreate" }
        : {
            type: "RollingUpdate",
            rollingUpdate: {
              ...(o.surge !== undefined ? { maxSurge: o.surge } : {}),
              ...(o.unavailable !== undefined ? { maxUnavailable: o.unavailable } : {}),
            },
          },
    },
  };
}

let seq = 0;
function rs(
  name: string,
  replicas: number,
  available = replicas,
  annotations: Record<string, string> = {},
): ReplicaSet {
  seq++;
  return {
    metadata: {
      name,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      annotations,
    },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

describe("fenceposts", () => {
  it("round surge up and unavailability down, never both zero", () => {
    assert.deepEqual(fenceposts(dep(3)), { maxSurge: 1, maxUnavailable: 0 });
    assert.deepEqual(fenceposts(dep(10, { surge: "30%", unavailable: "30%" })), {
      maxSurge: 3,
      maxUnavailable: 3,
    });
    assert.deepEqual(fenceposts(dep(3, { surge: 0, unavailable: 0 })), {
      maxSurge: 0,
      maxUnavailable: 1,
    });
    assert.equal(scaledValue("5", { total: 10, roundUp: true, fallback: 0 }), 5);
    assert.throws(() => scaledValue("x%", { total: 10, roundUp: true, fallback: 0 }));
  });
});

describe("rolling update steps", () => {
  it("grows the new ReplicaSet up to replicas + maxSurge in total", () => {
    const d = dep(3);
    const old = rs("old", 3);
    assert.equal(newReplicaSetReplicas(d, { all: [old], newRS: undefined }), 1);
    const fresh = rs("new", 1, 0);
    assert.equal(
      newReplicaSetReplicas(d, { all: [old, fresh], newRS: fresh }),
      1,
      "4 pods is the cap",
    );
    assert.equal(
      newReplicaSetReplicas(dep(3, { recreate: true }), { all: [old], newRS: undefined }),
      3,
    );
  });

  it("scales old ReplicaSets down only as far as availability allows", () => {
    const d = dep(3);
    const old = rs("old", 3);
    const fresh = rs("new", 1, 0);
    assert.deepEqual(
      planOldScaleDown(d, { oldRSs: [old], newRS: fresh }),
      [],
      "new pod not available yet",
    );
    const ready = rs("new2", 1, 1);
    const plan = planOldScaleDown(d, { oldRSs: [old], newRS: ready });
    assert.deepEqual(
      plan.map((s) => [s.rs.metadata?.name, s.replicas]),
      [["old", 2]],
    );
  });

  it("removes unavailable old pods first, at no cost to availability", () => {
    const d = dep(4, { surge: 1, unavailable: 1 });
    const broken = rs("broken", 2, 0);
    const good = rs("good", 2, 2);
    const fresh = rs("new", 1, 1);
    const plan = planOldScaleDown(d, { oldRSs: [broken, good], newRS: fresh });
    assert.deepEqual(
      plan.map((s) => [s.rs.metadata?.name, s.replicas]),
      [["broken", 0]],
    );
  });
});

describe("proportional scaling", () => {
  it("spreads a scale-up over active ReplicaSets by size", () => {
    const d = dep(20, { surge: 3, unavailable: 2 });
    // Sized for 10 replicas (max 13 with surge): 8 old, 5 new.
    const ann = {
      "deployment.kubernetes.io/desired-replicas": "10",
      "deployment.kubernetes.io/max-replicas": "13",
    };
    const old = rs("old", 8, 8, ann);
    const fresh = rs("new", 5, 0, ann);
    assert.equal(isScalingEvent(d, [fresh, old]), true);
    const plan = planScale(d, { newRS: fresh, oldRSs: [old] });
    const sizes = Object.fromEntries(plan.map((s) => [s.rs.metadata?.name, s.replicas]));
    assert.equal(sizes.old + sizes.new, 23, "replicas + maxSurge in all");
    assert.equal(sizes.old, 14);
    assert.equal(sizes.new, 9);
  });

  it("gives everything to the only active ReplicaSet", () => {
    const plan = planScale(dep(5), { newRS: rs("new", 3), oldRSs: [rs("old", 0)] });
    assert.deepEqual(
      plan.map((s) => [s.rs.metadata?.name, s.replicas]),
      [["new", 5]],
    );
  });
});

describe("revisions and history", () => {
  it("copies annotations, sets the revision and records a reused revision in revision-history", () => {
    const d = dep(3);
    const a = replicaSetAnnotations(
      d,
      rs("x", 0, 0, { "deployment.kubernetes.io/revision": "1" }),
      {
        revision: 3,
        maxSurge: 1,
      },
    );
    assert.equal(a?.["deployment.kubernetes.io/revision"], "3");
    assert.equal(a?.["deployment.kubernetes.io/revision-history"], "1");
    assert.equal(a?.["kubernetes.io/change-cause"], "why");
    assert.equal(a?.["deployment.kubernetes.io/max-replicas"], "4");
  });

  it("cleans up the oldest empty ReplicaSets beyond the limit", () => {
    const d = dep(3);
    d.spec = { ...(d.spec as NonNullable<Deployment["spec"]>), revisionHistoryLimit: 1 };
    const old = [1, 2, 3].map((r) =>
      rs(`r${r}`, 0, 0, { "deployment.kubernetes.io/revision": String(r) }),
    );
    const busy = rs("busy", 1, 1, { "deployment.kubernetes.io/revision": "0" });
    assert.deepEqual(
      replicaSetsToCleanUp(d, [...old, busy]).map((r) => r.metadata?.name),
      ["r1", "r2"],
    );
  });
});

describe("progress", () => {
  it("reports NewReplicaSetAvailable when complete and times out without progress", () => {
    const d = dep(1);
    const fresh = rs("new", 1, 1);
    const now = Date.parse("2026-01-01T00:00:00Z");
    const status = calculateStatus(d, { all: [fresh], newRS: fresh, now });
    assert.equal(updateProgress(d, { status, newRS: fresh, all: [fresh], now }), undefined);
    assert.equal(
      status.conditions?.find((c) => c.type === "Progressing")?.reason,
      "NewReplicaSetAvailable",
    );
    assert.equal(status.conditions?.find((c) => c.type === "Available")?.status, "True");

    const stuck = dep(1);
    const pending = rs("p", 1, 0);
    const s2 = calculateStatus(stuck, { all: [pending], newRS: pending, now });
    s2.conditions = [
      ...(s2.conditions ?? []),
      {
        type: "Progressing",
        status: "True",
        reason: "ReplicaSetUpdated",
        lastUpdateTime: "2026-01-01T00:00:00Z",
      },
    ];
    stuck.status = structuredClone(s2);
    assert.equal(timedOut(stuck, s2, now + 599_000), false);
    assert.equal(timedOut(stuck, s2, now + 601_000), true);
    const wait = updateProgress(stuck, {
      status: s2,
      newRS: pending,
      all: [pending],
      now: now + 1000,
    });
    assert.ok(wait !== undefined && wait > 598_000 && wait < 600_000);
  });
});
