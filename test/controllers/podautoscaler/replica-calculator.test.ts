import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  type CalculatorOptions,
  DEFAULT_CALCULATOR_OPTIONS,
  groupPods,
  podRequests,
  ReplicaCalculationError,
  rawResourceReplicas,
  resourceReplicas,
} from "../../../src/controllers/podautoscaler/replica-calculator.js";
import { MIN, metrics, NOW, type PodSpec, pod, pods } from "./fixtures.js";

const OPTS: CalculatorOptions = { ...DEFAULT_CALCULATOR_OPTIONS, now: NOW };

interface UtilizationCase {
  readonly name: string;
  readonly current: number;
  readonly pods: Pod[];
  readonly usage: Record<string, number>;
  readonly target: number;
  readonly resource?: string;
  readonly expected: { replicas: number; utilization: number; rawUtilization: number };
}

const mixed = (specs: PodSpec[]) => specs.map((s, i) => pod(`p${i}`, s));

// Requests are 1 CPU (1000m) per pod unless a case says otherwise.
const UTILIZATION_CASES: UtilizationCase[] = [
  {
    name: "scales up by the usage ratio over ready pods",
    current: 3,
    pods: pods(3),
    usage: { p0: 300, p1: 500, p2: 700 },
    target: 30,
    expected: { replicas: 5, utilization: 50, rawUtilization: 500 },
  },
  {
    name: "scales down by the usage ratio",
    current: 5,
    pods: pods(5),
    usage: { p0: 100, p1: 300, p2: 500, p3: 250, p4: 250 },
    target: 50,
    expected: { replicas: 3, utilization: 28, rawUtilization: 280 },
  },
  {
    name: "stays within the tolerance",
    current: 3,
    pods: pods(3),
    usage: { p0: 520, p1: 520, p2: 520 },
    target: 50,
    expected: { replicas: 3, utilization: 52, rawUtilization: 520 },
  },
  {
    name: "acts just outside the tolerance",
    current: 4,
    pods: pods(4),
    usage: { p0: 560, p1: 560, p2: 560, p3: 560 },
    target: 50,
    expected: { replicas: 5, utilization: 56, rawUtilization: 560 },
  },
  {
    name: "counts an unready pod as using nothing on a scale-up",
    current: 3,
    pods: mixed([{ ready: "False", startedAgo: MIN }, {}, {}]),
    usage: { p0: 300, p1: 500, p2: 700 },
    target: 30,
    // Ready pods alone: 60%; with p0 at 0: 40% → ceil(1.33 × 3).
    expected: { replicas: 4, utilization: 60, rawUtilization: 600 },
  },
  {
    name: "leaves unready pods out of a scale-down (ready pods decide)",
    current: 3,
    pods: mixed([{ ready: "False", startedAgo: MIN }, {}, {}]),
    usage: { p0: 900, p1: 100, p2: 100 },
    target: 50,
    expected: { replicas: 1, utilization: 10, rawUtilization: 100 },
  },
  {
    name: "treats pending pods as unready",
    current: 3,
    pods: mixed([{ phase: "Pending" }, {}, {}]),
    usage: { p1: 900, p2: 900 },
    target: 50,
    // 90% on two; pending at 0 → 60% → ceil(1.2 × 3).
    expected: { replicas: 4, utilization: 90, rawUtilization: 900 },
  },
  {
    name: "never counts failed or deleted pods",
    current: 4,
    pods: mixed([{ phase: "Failed" }, { deleted: true }, {}, {}]),
    usage: { p0: 1000, p1: 1000, p2: 500, p3: 700 },
    target: 30,
    expected: { replicas: 4, utilization: 60, rawUtilization: 600 },
  },
  {
    name: "counts a pod without metrics as using its whole request on a scale-down",
    current: 5,
    pods: pods(5),
    usage: { p0: 100, p1: 300, p2: 500, p3: 250 },
    target: 50,
    // 28% on four; p4 at 100% → 43% → ratio 0.86 → ceil(4.3) = 5: no change.
    expected: { replicas: 5, utilization: 28, rawUtilization: 287 },
  },
  {
    name: "still scales down when missing pods at 100% keep the ratio low enough",
    current: 4,
    pods: pods(4),
    usage: { p0: 100, p1: 100, p2: 100 },
    target: 50,
    // 10% on three; p3 at 100% → 32% → ratio 0.64 → ceil(2.56) = 3.
    expected: { replicas: 3, utilization: 10, rawUtilization: 100 },
  },
  {
    name: "uses the target for a missing pod on a scale-down when the target is above 100%",
    current: 3,
    pods: pods(3),
    usage: { p0: 500, p1: 500 },
    target: 150,
    // 50% on two; p2 at 150% → 83% → ratio 0.553 → ceil(1.66) = 2.
    expected: { replicas: 2, utilization: 50, rawUtilization: 500 },
  },
  {
    name: "counts a pod without metrics as using nothing on a scale-up",
    current: 4,
    pods: pods(4),
    usage: { p0: 900, p1: 900, p2: 900 },
    target: 50,
    // 90% on three; p3 at 0 → 67% → ratio 1.34 → ceil(5.36) = 6.
    expected: { replicas: 6, utilization: 90, rawUtilization: 900 },
  },
  {
    name: "keeps the count when the filled-in pods would reverse the direction",
    current: 2,
    pods: pods(2),
    usage: { p0: 600 },
    target: 50,
    // 120% on one; p1 at 0 → 30%: a scale-up turned scale-down → stay.
    expected: { replicas: 2, utilization: 60, rawUtilization: 600 },
  },
  {
    name: "keeps the count when the filled-in pods bring the ratio within tolerance",
    current: 2,
    pods: pods(2),
    usage: { p0: 1080 },
    target: 50,
    // 108% on one; p1 at 0 → 54% → ratio 1.08: within tolerance.
    expected: { replicas: 2, utilization: 108, rawUtilization: 1080 },
  },
  {
    name: "ignores a CPU sample taken less than a window after the pod turned ready",
    current: 2,
    pods: mixed([{ startedAgo: MIN, transitionAgo: 5_000 }, {}]),
    usage: { p0: 2000, p1: 1000 },
    target: 50,
    // p0 is unready: 100% on p1; p0 at 0 → 50%: within tolerance.
    expected: { replicas: 2, utilization: 100, rawUtilization: 1000 },
  },
  {
    name: "trusts a warming-up pod once a full window passed since it turned ready",
    current: 2,
    pods: mixed([{ startedAgo: MIN, transitionAgo: 20_000 }, {}]),
    usage: { p0: 2000, p1: 1000 },
    target: 50,
    expected: { replicas: 6, utilization: 150, rawUtilization: 1500 },
  },
  {
    name: "past initialization, ignores a pod that has never been ready",
    current: 2,
    pods: mixed([{ ready: "False", transitionAgo: 10 * MIN - 10_000 }, {}]),
    usage: { p0: 2000, p1: 250 },
    target: 50,
    expected: { replicas: 1, utilization: 25, rawUtilization: 250 },
  },
  {
    name: "past initialization, counts a pod that was ready before and is not now",
    current: 2,
    pods: mixed([{ ready: "False", transitionAgo: MIN }, {}]),
    usage: { p0: 2000, p1: 250 },
    target: 50,
    // (2000 + 250) / 2000 = 112% → ceil(2.24 × 2) = 5.
    expected: { replicas: 5, utilization: 112, rawUtilization: 1125 },
  },
  {
    name: "applies no readiness rules to memory",
    current: 2,
    pods: mixed([
      { ready: "False", startedAgo: MIN, requests: { memory: "1Gi" } },
      { requests: { memory: "1Gi" } },
    ]),
    usage: { p0: 1024 ** 3 * 1000, p1: 1024 ** 3 * 1000 },
    target: 50,
    resource: "memory",
    expected: { replicas: 4, utilization: 100, rawUtilization: 1024 ** 3 * 1000 },
  },
  {
    name: "sums the requests of every container",
    current: 2,
    pods: pods(2, { containers: 2, requests: { cpu: "500m" } }),
    usage: { p0: 2000, p1: 2000 },
    target: 100,
    expected: { replicas: 4, utilization: 200, rawUtilization: 2000 },
  },
];

describe("replica calculation for a utilization target", () => {
  for (const c of UTILIZATION_CASES) {
    it(c.name, () => {
      const got = resourceReplicas(
        {
          currentReplicas: c.current,
          pods: c.pods,
          metrics: metrics(c.usage),
          resource: c.resource ?? "cpu",
          targetUtilization: c.target,
        },
        OPTS,
      );
      assert.deepEqual(got, c.expected);
    });
  }

  it("fails without pods, without metrics for ready pods, or without requests", () => {
    const calc = (p: Pod[], usage: Record<string, number>) =>
      resourceReplicas(
        {
          currentReplicas: 1,
          pods: p,
          metrics: metrics(usage),
          resource: "cpu",
          targetUtilization: 50,
        },
        OPTS,
      );
    assert.throws(() => calc([], { p0: 1 }), {
      name: "ReplicaCalculationError",
      message: "no pods returned by selector while calculating replica count",
    });
    assert.throws(() => calc([pod("p0", { phase: "Pending" })], { p0: 100 }), {
      message: "did not receive metrics for any ready pods",
    });
    assert.throws(() => calc([pod("p0", { requests: { memory: "1Gi" } })], { p0: 100 }), {
      message: "missing request for cpu in container c0 of Pod p0",
    });
  });

  it("counts sidecars' requests and only the named container's when one is given", () => {
    const p = pod("p0", { containers: 2, requests: { cpu: "250m" } });
    (p.spec as { initContainers?: object[] }).initContainers = [
      {
        name: "side",
        image: "x",
        restartPolicy: "Always",
        resources: { requests: { cpu: "100m" } },
      },
      { name: "init", image: "x", resources: { requests: { cpu: "900m" } } },
    ];
    assert.equal(podRequests([p], { resource: "cpu" }).get("p0"), 600);
    assert.equal(podRequests([p], { resource: "cpu", container: "c1" }).get("p0"), 250);
  });
});

describe("replica calculation for an average value target", () => {
  const cases: Array<{
    name: string;
    current: number;
    pods: Pod[];
    usage: Record<string, number>;
    target: number;
    expected: { replicas: number; usage: number };
  }> = [
    {
      name: "scales up by the average over the target",
      current: 3,
      pods: pods(3),
      usage: { p0: 2000, p1: 3000, p2: 4000 },
      target: 2000,
      expected: { replicas: 5, usage: 3000 },
    },
    {
      name: "scales down by the average over the target",
      current: 4,
      pods: pods(4),
      usage: { p0: 500, p1: 500, p2: 500, p3: 500 },
      target: 1000,
      expected: { replicas: 2, usage: 500 },
    },
    {
      name: "counts a missing pod at the target on a scale-down",
      current: 3,
      pods: pods(3),
      usage: { p0: 100, p1: 100 },
      target: 1000,
      // (100 + 100 + 1000) / 3 = 400 → ceil(0.4 × 3) = 2.
      expected: { replicas: 2, usage: 100 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = rawResourceReplicas(
        {
          currentReplicas: c.current,
          pods: c.pods,
          metrics: metrics(c.usage),
          resource: "cpu",
          targetUsage: c.target,
        },
        OPTS,
      );
      assert.deepEqual(got, c.expected);
    });
  }
});

describe("grouping pods", () => {
  it("sorts pods into ready, unready, missing and ignored", () => {
    const g = groupPods(
      mixed([
        {},
        { phase: "Pending" },
        { phase: "Failed" },
        { deleted: true },
        {},
        { ready: "none" },
      ]),
      { metrics: metrics({ p0: 1, p5: 1 }), resource: "cpu", opts: OPTS },
    );
    assert.equal(g.readyPodCount, 1);
    assert.deepEqual([...g.unready].sort(), ["p1", "p5"]);
    assert.deepEqual([...g.missing], ["p4"]);
    assert.deepEqual([...g.ignored].sort(), ["p2", "p3"]);
  });

  it("is an expected-failure class", () => {
    assert.ok(new ReplicaCalculationError("x") instanceof Error);
  });
});
