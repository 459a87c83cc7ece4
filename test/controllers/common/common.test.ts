import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { planClaim } from "../../../src/controllers/common/claim.js";
import { Expectations } from "../../../src/controllers/common/expectations.js";
import { computeHash, safeEncode, stableJson } from "../../../src/controllers/common/hash.js";
import { podsToDelete } from "../../../src/controllers/common/pod-ranking.js";
import { isPodAvailable } from "../../../src/controllers/common/pod-state.js";
import { podFromTemplate, podPrefix } from "../../../src/controllers/common/pod-template.js";
import { selectorFromSet } from "../../../src/machinery/labels/index.js";

const ref = (uid: string) => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  name: "rs",
  uid,
  controller: true,
});

function pod(
  name: string,
  o: Partial<{
    node: string;
    phase: string;
    ready: string;
    created: string;
    labels: Record<string, string>;
    owner: string;
    restarts: number;
  }> = {},
): Pod {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      labels: o.labels ?? { app: "a" },
      creationTimestamp: o.created ?? "2026-01-01T00:00:00Z",
      ...(o.owner ? { ownerReferences: [ref(o.owner)] } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? "Running",
      ...(o.ready
        ? { conditions: [{ type: "Ready", status: "True", lastTransitionTime: o.ready }] }
        : {}),
      containerStatuses: [
        { name: "c", image: "i", imageID: "", ready: !!o.ready, restartCount: o.restarts ?? 0 },
      ],
    },
  };
}

describe("expectations", () => {
  it("are unsatisfied until every create and delete is observed", () => {
    const e = new Expectations();
    assert.equal(e.satisfied("k"), true);
    e.expect("k", { adds: 2, deleteUids: ["u1"] });
    assert.equal(e.satisfied("k"), false);
    e.creationObserved("k");
    e.creationObserved("k");
    assert.equal(e.satisfied("k"), false);
    e.deletionObserved("k", "u1");
    e.deletionObserved("k", "u1"); // a second observation of one deletion counts once
    assert.equal(e.satisfied("k"), true);
  });

  it("expire after the TTL so a lost event cannot wedge a key", () => {
    const clock = new FakeClock(0);
    const e = new Expectations({ clock, ttlMs: 1000 });
    e.expect("k", { adds: 1 });
    assert.equal(e.satisfied("k"), false);
    clock.step(1001);
    assert.equal(e.satisfied("k"), true);
  });
});

describe("claim plan", () => {
  const sel = selectorFromSet({ app: "a" });
  it("keeps owned matches, adopts matching orphans, releases owned non-matches, ignores others", () => {
    const plan = planClaim({ uid: "me", deleting: false }, sel, [
      pod("mine", { owner: "me" }),
      pod("orphan"),
      pod("theirs", { owner: "them" }),
      pod("moved", { owner: "me", labels: { app: "b" } }),
      pod("stranger", { labels: { app: "b" } }),
    ]);
    assert.deepEqual(
      plan.owned.map((p) => p.metadata?.name),
      ["mine"],
    );
    assert.deepEqual(
      plan.adopt.map((p) => p.metadata?.name),
      ["orphan"],
    );
    assert.deepEqual(
      plan.release.map((p) => p.metadata?.name),
      ["moved"],
    );
  });

  it("an owner being deleted neither adopts nor releases", () => {
    const plan = planClaim({ uid: "me", deleting: true }, sel, [
      pod("orphan"),
      pod("moved", { owner: "me", labels: { app: "b" } }),
    ]);
    assert.deepEqual(plan.adopt, []);
    assert.deepEqual(plan.release, []);
    assert.deepEqual(
      plan.owned.map((p) => p.metadata?.name),
      ["moved"],
    );
  });
});

describe("pod ranking", () => {
  it("deletes unscheduled, then pending, then not ready, then newest first", () => {
    const pods = [
      pod("old-ready", {
        node: "n",
        ready: "2026-01-01T00:00:00Z",
        created: "2026-01-01T00:00:00Z",
      }),
      pod("new-ready", {
        node: "n",
        ready: "2026-01-01T00:00:00Z",
        created: "2026-01-02T00:00:00Z",
      }),
      pod("unscheduled", { phase: "Pending" }),
      pod("pending", { node: "n", phase: "Pending" }),
      pod("notready", { node: "n" }),
      pod("recently-ready", { node: "n", ready: "2026-01-03T00:00:00Z" }),
    ];
    assert.deepEqual(
      podsToDelete(pods, 6).map((p) => p.metadata?.name),
      ["unscheduled", "pending", "notready", "recently-ready", "new-ready", "old-ready"],
    );
    assert.equal(podsToDelete(pods, 0).length, 0);
  });

  it("more restarts go before fewer", () => {
    const a = pod("a", { node: "n", restarts: 5 });
    const b = pod("b", { node: "n", restarts: 0 });
    assert.equal(podsToDelete([b, a], 1)[0]?.metadata?.name, "a");
  });
});

describe("pod availability", () => {
  it("needs Ready for minReadySeconds", () => {
    const p = pod("p", { ready: "2026-01-01T00:00:00Z" });
    const t = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(isPodAvailable(p, 0, t), true);
    assert.equal(isPodAvailable(p, 10, t + 9_000), false);
    assert.equal(isPodAvailable(p, 10, t + 10_000), true);
    assert.equal(isPodAvailable(pod("q"), 0, t), false);
  });
});

describe("templates and hashes", () => {
  it("pods from a template carry its metadata and the controller reference", () => {
    const p = podFromTemplate(
      {
        metadata: { labels: { app: "a" }, annotations: { x: "y" } },
        spec: { containers: [{ name: "c", image: "i" }] },
      },
      { namespace: "ns", controllerRef: ref("u"), generateName: podPrefix("web") },
    );
    assert.equal(p.metadata?.generateName, "web-");
    assert.equal(p.metadata?.namespace, "ns");
    assert.deepEqual(p.metadata?.labels, { app: "a" });
    assert.equal(p.metadata?.ownerReferences?.[0]?.uid, "u");
    assert.equal(podPrefix("x".repeat(80)).length, 58);
  });

  it("hashes are stable across key order, change with content and collision count", () => {
    assert.equal(stableJson({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
    assert.equal(
      stableJson({ a: 1, m: { creationTimestamp: null }, r: {}, l: [] }),
      stableJson({ a: 1 }),
    );
    const h = computeHash({ a: 1, b: 2 });
    assert.equal(h, computeHash({ b: 2, a: 1 }));
    assert.notEqual(h, computeHash({ a: 1, b: 3 }));
    assert.notEqual(h, computeHash({ a: 1, b: 2 }, 1));
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(safeEncode("0123"), "4567");
  });
});
