import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import {
  noExecuteWant,
  noScheduleKeys,
  reconcileTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
} from "../../../src/controllers/nodelifecycle/taints.js";
import { healthy, iso, node } from "./fixtures.js";

const always = { allZonesDisrupted: false, mayAdd: () => true };
const taintsOf = (n: Node, now: number) =>
  reconcileTaints(n, { noExecute: noExecuteWant(n, always), now });

describe("taints by condition", () => {
  it("wants NoSchedule taints for Ready=Unknown/False, pressure and unschedulable", () => {
    assert.deepEqual(noScheduleKeys(node("n", { conditions: healthy })), []);
    assert.deepEqual(noScheduleKeys(node("n", { conditions: { ...healthy, Ready: "Unknown" } })), [
      TAINT_UNREACHABLE,
    ]);
    assert.deepEqual(
      noScheduleKeys(
        node("n", {
          conditions: { ...healthy, Ready: "False", MemoryPressure: "True" },
          unschedulable: true,
        }),
      ),
      [TAINT_NOT_READY, "node.kubernetes.io/memory-pressure", "node.kubernetes.io/unschedulable"],
    );
  });

  it("taints an unreachable node NoSchedule and NoExecute, stamping timeAdded on the NoExecute one", () => {
    const clock = new FakeClock(1_700_000_000_000);
    const n = node("n", {
      conditions: { ...healthy, Ready: "Unknown" },
      taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }],
    });
    assert.deepEqual(taintsOf(n, clock.now()), [
      { key: "dedicated", value: "db", effect: "NoSchedule" },
      { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
      { key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: iso(clock.now()) },
    ]);
  });

  it("swaps unreachable for not-ready when the kubelet reports Ready=False, without the limiter", () => {
    const n = node("n", {
      conditions: { ...healthy, Ready: "False" },
      taints: [
        { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
        { key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: iso(0) },
      ],
    });
    const want = noExecuteWant(n, { allZonesDisrupted: false, mayAdd: () => false });
    assert.equal(want, TAINT_NOT_READY);
    assert.deepEqual(reconcileTaints(n, { noExecute: want, now: 5000 }), [
      { key: TAINT_NOT_READY, effect: "NoSchedule" },
      { key: TAINT_NOT_READY, effect: "NoExecute", timeAdded: iso(5000) },
    ]);
  });

  it("keeps an existing taint as it is, so its timeAdded survives", () => {
    const n = node("n", {
      conditions: { ...healthy, Ready: "Unknown" },
      taints: [
        { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
        { key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: iso(0) },
      ],
    });
    assert.equal(taintsOf(n, 99_000), undefined);
  });

  it("removes every managed taint when the node is Ready again, leaving others'", () => {
    const n = node("n", {
      conditions: healthy,
      taints: [
        { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
        { key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: iso(0) },
        { key: "example.com/maintenance", effect: "NoExecute" },
      ],
    });
    assert.deepEqual(taintsOf(n, 1), [{ key: "example.com/maintenance", effect: "NoExecute" }]);
  });

  it("holds a new NoExecute taint back when the zone's limiter says no", () => {
    const n = node("n", { conditions: { ...healthy, Ready: "Unknown" } });
    const want = noExecuteWant(n, { allZonesDisrupted: false, mayAdd: () => false });
    assert.equal(want, "keep");
    assert.deepEqual(reconcileTaints(n, { noExecute: want, now: 1 }), [
      { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
    ]);
  });

  it("lifts NoExecute taints while every zone is fully disrupted", () => {
    const n = node("n", {
      conditions: { ...healthy, Ready: "Unknown" },
      taints: [{ key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: iso(0) }],
    });
    assert.equal(noExecuteWant(n, { allZonesDisrupted: true, mayAdd: () => true }), "none");
  });

  it("leaves NoExecute taints alone on a node with no Ready condition yet", () => {
    const n = node("n", { taints: [{ key: TAINT_NOT_READY, effect: "NoExecute" }] });
    assert.equal(noExecuteWant(n, always), "keep");
    assert.equal(reconcileTaints(n, { noExecute: "keep", now: 1 }), undefined);
  });
});
