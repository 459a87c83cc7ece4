import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { notReadyPatch } from "../../../src/controllers/nodelifecycle/pods.js";
import {
  EXCLUDE_DISRUPTION_LABEL,
  ZoneRateLimiter,
  zoneHealths,
  zoneKey,
  zoneRate,
  zoneState,
} from "../../../src/controllers/nodelifecycle/zones.js";
import { healthy, iso, node } from "./fixtures.js";

const RATES = { rate: 0.1, secondaryRate: 0.01, largeClusterThreshold: 50 };

describe("zones", () => {
  it("keys a node by its region and zone labels", () => {
    assert.equal(zoneKey(node("n")), "");
    assert.equal(
      zoneKey(
        node("n", {
          labels: { "topology.kubernetes.io/region": "eu", "topology.kubernetes.io/zone": "eu-1a" },
        }),
      ),
      "eu:eu-1a",
    );
    assert.equal(
      zoneKey(node("n", { labels: { "failure-domain.beta.kubernetes.io/zone": "z" } })),
      ":z",
    );
  });

  it("is fully disrupted with no Ready node, partially with more than two and over the threshold", () => {
    assert.equal(zoneState(["True", "Unknown"], 0.55), "Normal");
    assert.equal(zoneState(["Unknown", undefined], 0.55), "FullDisruption");
    assert.equal(zoneState(["True", "False", "Unknown"], 0.55), "Normal");
    assert.equal(zoneState(["True", "False", "Unknown", "Unknown"], 0.55), "PartialDisruption");
  });

  it("leaves nodes labelled exclude-disruption out of the counts", () => {
    const zones = zoneHealths(
      [
        node("a", { conditions: { ...healthy, Ready: "Unknown" } }),
        node("b", { conditions: healthy, labels: { [EXCLUDE_DISRUPTION_LABEL]: "" } }),
      ],
      0.55,
    );
    assert.deepEqual(zones.get(""), { state: "FullDisruption", size: 1 });
  });

  it("stops tainting in a small partially disrupted zone and slows down in a large one", () => {
    assert.equal(zoneRate({ state: "Normal", size: 3 }, RATES), 0.1);
    assert.equal(zoneRate({ state: "FullDisruption", size: 3 }, RATES), 0.1);
    assert.equal(zoneRate({ state: "PartialDisruption", size: 10 }, RATES), 0);
    assert.equal(zoneRate({ state: "PartialDisruption", size: 51 }, RATES), 0.01);
  });

  it("lets one node per zone be tainted at once, then one per 1/rate seconds", () => {
    const clock = new FakeClock(0);
    const limiter = new ZoneRateLimiter(0.1);
    assert.equal(limiter.tryTake("a", clock.now()), true);
    assert.equal(limiter.tryTake("a", clock.now()), false);
    assert.equal(limiter.tryTake("b", clock.now()), true, "zones are independent");
    clock.step(5_000);
    assert.equal(limiter.tryTake("a", clock.now()), false);
    clock.step(5_000);
    assert.equal(limiter.tryTake("a", clock.now()), true);
    limiter.setRate("a", { qps: 0, now: clock.now() });
    clock.step(1_000_000);
    assert.equal(limiter.tryTake("a", clock.now()), false, "a zero rate never refills");
  });
});

describe("marking pods not ready", () => {
  const pod = (status: string): Pod => ({
    metadata: { name: "p", namespace: "default" },
    status: { conditions: [{ type: "Ready", status }] },
  });

  it("patches Ready=False with a new transition time", () => {
    assert.deepEqual(notReadyPatch(pod("True"), 60_000), {
      status: {
        conditions: [{ type: "Ready", status: "False", lastTransitionTime: iso(60_000) }],
      },
    });
  });

  it("leaves pods already not ready, or with no Ready condition", () => {
    assert.equal(notReadyPatch(pod("False"), 1), undefined);
    assert.equal(notReadyPatch({ metadata: { name: "p" } }, 1), undefined);
  });
});
