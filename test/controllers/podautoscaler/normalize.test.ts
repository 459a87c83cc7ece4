import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HPAScalingRules } from "kubernetes-types/autoscaling/v2.js";
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  effectiveBehavior,
  newScaleHistory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  recordInitialRecommendation,
  type ScaleHistory,
  scaleDownLimitWithRules,
  scaleUpLimitWithRules,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
} from "../../../src/controllers/podautoscaler/normalize.js";
import { NOW } from "./fixtures.js";

const S = 1000;
const rules = (r: HPAScalingRules): Required<HPAScalingRules> => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [],
  ...r,
});

describe("normalizing without spec.behavior", () => {
  const cases: Array<{
    name: string;
    current: number;
    desired: number;
    min?: number;
    max?: number;
    expected: { replicas: number; reason: string };
  }> = [
    {
      name: "keeps a desired count within range",
      current: 3,
      desired: 5,
      expected: { replicas: 5, reason: "DesiredWithinRange" },
    },
    {
      name: "raises to minReplicas",
      current: 3,
      desired: 1,
      min: 2,
      expected: { replicas: 2, reason: "TooFewReplicas" },
    },
    {
      name: "caps at maxReplicas",
      current: 5,
      desired: 20,
      max: 8,
      expected: { replicas: 8, reason: "TooManyReplicas" },
    },
    {
      name: "caps a scale-up at 4 from one replica",
      current: 1,
      desired: 10,
      expected: { replicas: 4, reason: "ScaleUpLimit" },
    },
    {
      name: "caps a scale-up at double the replicas",
      current: 5,
      desired: 30,
      expected: { replicas: 10, reason: "ScaleUpLimit" },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = convertDesiredReplicasWithRules({
        currentReplicas: c.current,
        desiredReplicas: c.desired,
        minReplicas: c.min ?? 1,
        maxReplicas: c.max ?? 20,
        now: NOW,
      });
      assert.deepEqual({ replicas: got.replicas, reason: got.reason }, c.expected);
    });
  }

  it("holds a scale-down at the highest recommendation of the stabilization window", () => {
    const h = newScaleHistory();
    recordInitialRecommendation(h, { currentReplicas: 5, now: NOW });
    const args = {
      currentReplicas: 5,
      minReplicas: 1,
      maxReplicas: 10,
      downscaleStabilizationMs: 300 * S,
    };
    const early = normalizeDesiredReplicas(h, { ...args, desiredReplicas: 2, now: NOW + 60 * S });
    assert.equal(early.replicas, 5);
    assert.equal(early.ableToScale.reason, "ScaleDownStabilized");
    assert.equal(early.limited.status, "False");
    // After the window the initial 5 has aged out; the 2 from t+60 s is still in it.
    const later = normalizeDesiredReplicas(h, { ...args, desiredReplicas: 1, now: NOW + 301 * S });
    assert.equal(later.replicas, 2);
    const done = normalizeDesiredReplicas(h, { ...args, desiredReplicas: 1, now: NOW + 700 * S });
    assert.equal(done.replicas, 1);
    assert.equal(done.ableToScale.reason, "ReadyForNewScale");
    // Old slots are reused: the history does not grow without bound.
    assert.ok(h.recommendations.length <= 3, JSON.stringify(h.recommendations));
  });

  it("does not stabilize a scale-up", () => {
    const h = newScaleHistory();
    recordInitialRecommendation(h, { currentReplicas: 2, now: NOW });
    const got = normalizeDesiredReplicas(h, {
      currentReplicas: 2,
      desiredReplicas: 4,
      minReplicas: 1,
      maxReplicas: 10,
      downscaleStabilizationMs: 300 * S,
      now: NOW,
    });
    assert.equal(got.replicas, 4);
    assert.equal(got.ableToScale.reason, "ReadyForNewScale");
  });
});

describe("scaling policies", () => {
  const up = rules({
    policies: [
      { type: "Pods", value: 4, periodSeconds: 60 },
      { type: "Percent", value: 100, periodSeconds: 60 },
    ],
  });
  const down = rules({
    policies: [
      { type: "Pods", value: 3, periodSeconds: 60 },
      { type: "Percent", value: 50, periodSeconds: 60 },
    ],
  });
  const limit = (
    f: typeof scaleUpLimitWithRules,
    at: { rules: Required<HPAScalingRules>; current: number; history?: ScaleHistory },
  ) =>
    f(at.history ?? newScaleHistory(), {
      currentReplicas: at.current,
      rules: at.rules,
      now: NOW,
    });

  it("lets Max pick the policy allowing the biggest change and Min the smallest", () => {
    assert.equal(limit(scaleUpLimitWithRules, { rules: up, current: 2 }), 6);
    assert.equal(limit(scaleUpLimitWithRules, { rules: up, current: 10 }), 20);
    assert.equal(
      limit(scaleUpLimitWithRules, { rules: { ...up, selectPolicy: "Min" }, current: 10 }),
      14,
    );
    assert.equal(limit(scaleDownLimitWithRules, { rules: down, current: 10 }), 5);
    assert.equal(
      limit(scaleDownLimitWithRules, { rules: { ...down, selectPolicy: "Min" }, current: 10 }),
      7,
    );
  });

  it("rounds a percentage up when growing and down when shrinking", () => {
    const pct = (value: number) =>
      rules({ policies: [{ type: "Percent", value, periodSeconds: 15 }] });
    assert.equal(limit(scaleUpLimitWithRules, { rules: pct(10), current: 3 }), 4);
    assert.equal(limit(scaleDownLimitWithRules, { rules: pct(10), current: 3 }), 2);
  });

  it("does not move at all with selectPolicy Disabled", () => {
    assert.equal(
      limit(scaleUpLimitWithRules, { rules: { ...up, selectPolicy: "Disabled" }, current: 3 }),
      3,
    );
    assert.equal(
      limit(scaleDownLimitWithRules, { rules: { ...down, selectPolicy: "Disabled" }, current: 3 }),
      3,
    );
  });

  it("counts from the replicas at the start of each policy's period", () => {
    const h = newScaleHistory();
    h.scaleUpEvents.push({ replicaChange: 3, timestamp: NOW - 30 * S, outdated: false });
    h.scaleUpEvents.push({ replicaChange: 5, timestamp: NOW - 90 * S, outdated: false });
    // 5 now, 3 added within the last 60 s: the period started at 2.
    assert.equal(limit(scaleUpLimitWithRules, { rules: up, current: 5, history: h }), 6);
    h.scaleDownEvents.push({ replicaChange: 2, timestamp: NOW - 10 * S, outdated: false });
    // ... and 2 removed: it started at 4.
    assert.equal(limit(scaleUpLimitWithRules, { rules: up, current: 5, history: h }), 8);
  });

  it("limits with ScaleUpLimit / ScaleDownLimit, or the bounds when they are tighter", () => {
    const h = newScaleHistory();
    const r = { scaleUp: up, scaleDown: down };
    const conv = (current: number, desired: number) =>
      convertDesiredReplicasWithBehaviorRate(h, {
        currentReplicas: current,
        desiredReplicas: desired,
        minReplicas: 2,
        maxReplicas: 12,
        now: NOW,
        rules: r,
      });
    assert.deepEqual([conv(2, 10).replicas, conv(2, 10).reason], [6, "ScaleUpLimit"]);
    assert.deepEqual([conv(8, 20).replicas, conv(8, 20).reason], [12, "TooManyReplicas"]);
    assert.deepEqual([conv(10, 1).replicas, conv(10, 1).reason], [5, "ScaleDownLimit"]);
    assert.deepEqual([conv(3, 1).replicas, conv(3, 1).reason], [2, "TooFewReplicas"]);
    assert.deepEqual([conv(4, 4).replicas, conv(4, 4).reason], [4, "DesiredWithinRange"]);
  });

  it("waits for earlier scale-ups to age out before scaling up again", () => {
    const h = newScaleHistory();
    h.scaleUpEvents.push({ replicaChange: 4, timestamp: NOW - 5 * S, outdated: false });
    const got = convertDesiredReplicasWithBehaviorRate(h, {
      currentReplicas: 5,
      desiredReplicas: 9,
      minReplicas: 1,
      maxReplicas: 20,
      now: NOW,
      rules: {
        scaleUp: rules({ policies: [{ type: "Pods", value: 4, periodSeconds: 60 }] }),
        scaleDown: down,
      },
    });
    assert.equal(got.replicas, 5);
  });
});

describe("stabilization with spec.behavior", () => {
  it("holds a scale-up at the lowest recommendation of the scale-up window", () => {
    const h = newScaleHistory();
    h.recommendations.push({ recommendation: 3, timestamp: NOW - 30 * S });
    const r = effectiveBehavior({ scaleUp: { stabilizationWindowSeconds: 60 } }, 300 * S);
    const got = stabilizeRecommendationWithBehaviors(h, {
      currentReplicas: 4,
      desiredReplicas: 8,
      minReplicas: 1,
      maxReplicas: 10,
      now: NOW,
      rules: r,
    });
    assert.deepEqual([got.replicas, got.reason], [4, "ScaleUpStabilized"]);
  });

  it("fills in upstream's default rules, the scale-down window from the controller", () => {
    const r = effectiveBehavior({}, 120 * S);
    assert.equal(r.scaleDown.stabilizationWindowSeconds, 120);
    assert.equal(r.scaleUp.stabilizationWindowSeconds, 0);
    assert.deepEqual(r.scaleUp.policies, [
      { type: "Pods", value: 4, periodSeconds: 15 },
      { type: "Percent", value: 100, periodSeconds: 15 },
    ]);
    assert.deepEqual(r.scaleDown.policies, [{ type: "Percent", value: 100, periodSeconds: 15 }]);
  });

  it("reports ScalingLimited only when the limits changed the stabilized count", () => {
    const h = newScaleHistory();
    const got = normalizeDesiredReplicasWithBehaviors(h, {
      currentReplicas: 1,
      desiredReplicas: 50,
      minReplicas: 1,
      maxReplicas: 100,
      now: NOW,
      behavior: {},
      downscaleStabilizationMs: 300 * S,
    });
    // Defaults: +4 pods or +100% per 15 s, whichever is more.
    assert.equal(got.replicas, 5);
    assert.deepEqual(got.limited, {
      status: "True",
      reason: "ScaleUpLimit",
      message: "the desired replica count is increasing faster than the maximum scale rate",
    });
    assert.equal(got.ableToScale.reason, "ReadyForNewScale");
  });
});

describe("scale events", () => {
  it("are kept only with spec.behavior and reuse slots older than every policy period", () => {
    const h = newScaleHistory();
    storeScaleEvent(h, { behavior: undefined, from: 1, to: 4, now: NOW });
    assert.equal(h.scaleUpEvents.length, 0);
    const behavior = { scaleUp: { policies: [{ type: "Pods", value: 4, periodSeconds: 60 }] } };
    storeScaleEvent(h, { behavior, from: 1, to: 4, now: NOW });
    storeScaleEvent(h, { behavior, from: 4, to: 6, now: NOW + 30 * S });
    assert.equal(h.scaleUpEvents.length, 2);
    storeScaleEvent(h, { behavior, from: 6, to: 7, now: NOW + 100 * S });
    assert.deepEqual(
      h.scaleUpEvents.map((e) => e.replicaChange),
      [1, 2],
      "the event from NOW (older than 60 s) was replaced",
    );
    storeScaleEvent(h, { behavior, from: 7, to: 3, now: NOW + 100 * S });
    assert.deepEqual(
      h.scaleDownEvents.map((e) => e.replicaChange),
      [4],
    );
  });
});
