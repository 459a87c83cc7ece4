import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Taint, Toleration } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import {
  decideEviction,
  noExecuteTaints,
  sameTaints,
} from "../../../src/controllers/tainteviction/decide.js";
import { TaintStarts } from "../../../src/controllers/tainteviction/taint-starts.js";

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const UNREACHABLE: Taint = {
  key: "node.kubernetes.io/unreachable",
  effect: "NoExecute",
  timeAdded: iso(1_000_000),
};
const tolerate = (seconds?: number): Toleration => ({
  key: "node.kubernetes.io/unreachable",
  operator: "Exists",
  effect: "NoExecute",
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
});
const decide = (
  tolerations: Toleration[],
  taints: Taint[],
  now: number,
  starts = new TaintStarts(),
) =>
  decideEviction(tolerations, {
    taints,
    now,
    since: (t) => starts.since(t, { nodeName: "n1", now }),
  });

describe("taint eviction decisions", () => {
  it("evicts at once a pod that does not tolerate a NoExecute taint", () => {
    assert.deepEqual(decide([], [UNREACHABLE], 1_000_000), { kind: "evict" });
    assert.deepEqual(decide([{ key: "other", operator: "Exists" }], [UNREACHABLE], 1_000_000), {
      kind: "evict",
    });
  });

  it("keeps a pod that tolerates every taint for ever", () => {
    assert.deepEqual(decide([tolerate()], [UNREACHABLE], 5_000_000), { kind: "keep" });
    assert.deepEqual(decide([{ operator: "Exists" }], [UNREACHABLE], 5_000_000), { kind: "keep" });
  });

  it("evicts a pod with tolerationSeconds once they have run from the taint's timeAdded", () => {
    const clock = new FakeClock(1_000_000);
    assert.deepEqual(decide([tolerate(2)], [UNREACHABLE], clock.now()), {
      kind: "wait",
      at: 1_002_000,
    });
    clock.step(1_999);
    assert.equal(decide([tolerate(2)], [UNREACHABLE], clock.now()).kind, "wait");
    clock.step(1);
    assert.deepEqual(decide([tolerate(2)], [UNREACHABLE], clock.now()), { kind: "evict" });
  });

  it("goes at the earliest deadline when several tolerated taints have one", () => {
    const notReady: Taint = {
      key: "node.kubernetes.io/not-ready",
      effect: "NoExecute",
      timeAdded: iso(1_001_000),
    };
    const tolerations = [
      tolerate(300),
      { key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 5 },
    ];
    assert.deepEqual(decide(tolerations, [UNREACHABLE, notReady], 1_001_000), {
      kind: "wait",
      at: 1_006_000,
    });
  });

  it("evicts at once with tolerationSeconds zero or negative", () => {
    assert.deepEqual(decide([tolerate(0)], [UNREACHABLE], 1_000_000), { kind: "evict" });
    assert.deepEqual(decide([tolerate(-5)], [UNREACHABLE], 1_000_000), { kind: "evict" });
  });

  it("times a taint without timeAdded from when it was first seen on the node", () => {
    const clock = new FakeClock(50_000);
    const starts = new TaintStarts();
    const bare: Taint = { key: "example.com/drain", effect: "NoExecute" };
    starts.observe("n1", { taints: [bare], now: clock.now() });
    clock.step(3_000);
    starts.observe("n1", { taints: [bare], now: clock.now() });
    const tolerations = [{ key: "example.com/drain", operator: "Exists", tolerationSeconds: 10 }];
    assert.deepEqual(decide(tolerations, [bare], clock.now(), starts), {
      kind: "wait",
      at: 60_000,
    });
    // Removed and added again: a new start.
    starts.observe("n1", { taints: [], now: clock.now() });
    starts.observe("n1", { taints: [bare], now: clock.now() });
    assert.deepEqual(decide(tolerations, [bare], clock.now(), starts), {
      kind: "wait",
      at: 63_000,
    });
  });

  it("looks only at NoExecute taints and compares them in order", () => {
    const taints: Taint[] = [{ key: "a", effect: "NoSchedule" }, UNREACHABLE];
    assert.deepEqual(noExecuteTaints(taints), [UNREACHABLE]);
    assert.equal(sameTaints([UNREACHABLE], [{ ...UNREACHABLE }]), true);
    assert.equal(sameTaints([UNREACHABLE], [{ ...UNREACHABLE, timeAdded: iso(0) }]), false);
    assert.equal(sameTaints([], [UNREACHABLE]), false);
  });
});
