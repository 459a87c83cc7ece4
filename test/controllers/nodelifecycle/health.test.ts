import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../../src/client/util/clock.js";
import { unknownConditions } from "../../../src/controllers/nodelifecycle/conditions.js";
import {
  isStale,
  type NodeHealth,
  observeHealth,
} from "../../../src/controllers/nodelifecycle/health.js";
import { healthy, iso, lease, node } from "./fixtures.js";

const GRACE = { gracePeriodMs: 40_000, startupGracePeriodMs: 60_000 };

describe("node health", () => {
  it("gives a node seen for the first time a full grace period from now", () => {
    const clock = new FakeClock(1_000_000);
    const n = node("n1", { conditions: healthy, heartbeat: 0 });
    const h = observeHealth(undefined, { node: n, lease: undefined, now: clock.now() });
    assert.equal(h.probeAt, 1_000_000);
    clock.step(40_000);
    assert.equal(isStale(h, { node: n, now: clock.now(), ...GRACE }), false);
    clock.step(1);
    assert.equal(isStale(h, { node: n, now: clock.now(), ...GRACE }), true);
  });

  it("counts a lease renewal as a sign of life, however old the posted status", () => {
    const clock = new FakeClock(1_000_000);
    const n = node("n1", { conditions: healthy, heartbeat: 0 });
    let h = observeHealth(undefined, { node: n, lease: lease("n1", 5), now: clock.now() });
    clock.step(30_000);
    h = observeHealth(h, { node: n, lease: lease("n1", 10_000), now: clock.now() });
    assert.equal(h.probeAt, 1_030_000);
    clock.step(30_000);
    // The same renewal seen again is no news.
    h = observeHealth(h, { node: n, lease: lease("n1", 10_000), now: clock.now() });
    assert.equal(h.probeAt, 1_030_000);
    clock.step(11_000);
    assert.equal(isStale(h, { node: n, now: clock.now(), ...GRACE }), true);
  });

  it("counts only a newer status heartbeat, not an old status re-read from a lagging cache", () => {
    const clock = new FakeClock(1_000_000);
    let h: NodeHealth = observeHealth(undefined, {
      node: node("n1", { conditions: healthy, heartbeat: 20_000 }),
      lease: undefined,
      now: clock.now(),
    });
    clock.step(10_000);
    h = observeHealth(h, {
      node: node("n1", { conditions: healthy, heartbeat: 10_000 }),
      lease: undefined,
      now: clock.now(),
    });
    assert.equal(h.probeAt, 1_000_000);
    h = observeHealth(h, {
      node: node("n1", { conditions: healthy, heartbeat: 30_000 }),
      lease: undefined,
      now: clock.now(),
    });
    assert.equal(h.probeAt, 1_010_000);
  });

  it("times a node whose kubelet never posted Ready from its creation, with the startup grace", () => {
    const clock = new FakeClock(100_000);
    const n = node("n1", { created: 50_000 });
    const h = observeHealth(undefined, { node: n, lease: undefined, now: clock.now() });
    assert.equal(h.probeAt, 50_000);
    clock.step(10_000); // 60 s after creation
    assert.equal(isStale(h, { node: n, now: clock.now(), ...GRACE }), false);
    clock.step(1);
    assert.equal(isStale(h, { node: n, now: clock.now(), ...GRACE }), true);
  });

  it("does not mistake its own Unknown write (same heartbeat) for the kubelet posting", () => {
    const clock = new FakeClock(0);
    const n = node("n1", { conditions: healthy, heartbeat: 0 });
    const h = observeHealth(undefined, { node: n, lease: undefined, now: clock.now() });
    clock.step(41_000);
    const conditions = unknownConditions(n, clock.now()) ?? [];
    const written = { ...n, status: { conditions } };
    assert.deepEqual(observeHealth(h, { node: written, lease: undefined, now: clock.now() }), h);
  });
});

describe("unknown conditions", () => {
  it("sets the kubelet's four conditions Unknown with NodeStatusUnknown, keeping the heartbeat", () => {
    const n = node("n1", {
      conditions: { ...healthy, NetworkUnavailable: "False" },
      heartbeat: 1000,
    });
    const out = unknownConditions(n, 90_000) ?? [];
    const byType = new Map(out.map((c) => [c.type, c]));
    for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
      const c = byType.get(type);
      assert.equal(c?.status, "Unknown", type);
      assert.equal(c?.reason, "NodeStatusUnknown");
      assert.equal(c?.message, "Kubelet stopped posting node status.");
      assert.equal(c?.lastTransitionTime, iso(90_000));
      assert.equal(c?.lastHeartbeatTime, iso(1000));
    }
    assert.equal(byType.get("NetworkUnavailable")?.status, "False");
    assert.equal(n.status?.conditions?.[0]?.status, "True", "the input is not mutated");
  });

  it("adds conditions the kubelet never posted as NodeStatusNeverUpdated", () => {
    const out = unknownConditions(node("n1", { created: 5000 }), 90_000) ?? [];
    assert.equal(out.length, 4);
    assert.ok(out.every((c) => c.reason === "NodeStatusNeverUpdated" && c.status === "Unknown"));
    assert.equal(out[0]?.lastHeartbeatTime, iso(5000));
  });

  it("changes nothing when all are already Unknown", () => {
    const n = node("n1", {
      conditions: {
        Ready: "Unknown",
        MemoryPressure: "Unknown",
        DiskPressure: "Unknown",
        PIDPressure: "Unknown",
      },
    });
    assert.equal(unknownConditions(n, 1), undefined);
  });
});
