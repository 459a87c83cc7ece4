import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  Autoscaler,
  type AutoscalerDeps,
  type Scale,
} from "../../../src/controllers/podautoscaler/autoscaler.js";
import { DEFAULT_CALCULATOR_OPTIONS } from "../../../src/controllers/podautoscaler/replica-calculator.js";
import type { PodMetricsList } from "../../../src/controllers/podautoscaler/resource-metrics.js";
import { NOW, pods } from "./fixtures.js";

const S = 1000;

function hpa(spec: Partial<HorizontalPodAutoscaler["spec"]> = {}): HorizontalPodAutoscaler {
  return {
    metadata: { name: "web", namespace: "default", uid: "u1" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
        },
      ],
      ...spec,
    },
  };
}

/** A world of one Deployment: its scale, its pods' CPU in millicores, a clock. */
class World implements AutoscalerDeps {
  replicas = 1;
  selector = "app=web";
  cpu: Record<string, number> = {};
  podList: Pod[] = pods(1);
  now_ = NOW;
  scaleError: Error | undefined;
  metricsError: Error | undefined;
  scaled: number[] = [];
  events: string[] = [];
  statuses: HorizontalPodAutoscaler[] = [];

  async getScale(): Promise<Scale> {
    if (this.scaleError) throw this.scaleError;
    return {
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: this.replicas },
      status: { replicas: this.replicas, selector: this.selector },
    };
  }
  async updateScale(_t: unknown, scale: Scale): Promise<void> {
    this.replicas = scale.spec?.replicas ?? 0;
    this.scaled.push(this.replicas);
  }
  pods(): Pod[] {
    return this.podList;
  }
  async podMetrics(): Promise<PodMetricsList> {
    if (this.metricsError) throw this.metricsError;
    return {
      items: Object.entries(this.cpu).map(([name, m]) => ({
        metadata: { name, namespace: "default" },
        timestamp: new Date(this.now_).toISOString(),
        window: "15s",
        containers: [{ name: "c0", usage: { cpu: `${m}m`, memory: "10Mi" } }],
      })),
    };
  }
  async writeStatus(h: HorizontalPodAutoscaler): Promise<void> {
    this.statuses.push(structuredClone(h));
  }
  event(_h: HorizontalPodAutoscaler, e: { type: string; reason: string; message: string }): void {
    this.events.push(`${e.type} ${e.reason}: ${e.message}`);
  }
  now(): number {
    return this.now_;
  }
  get last(): HorizontalPodAutoscaler {
    const s = this.statuses.at(-1);
    assert.ok(s, "a status was written");
    return s;
  }
  condition(type: string) {
    return this.last.status?.conditions?.find((c) => c.type === type);
  }
}

const autoscaler = (w: World, downscaleStabilizationMs = 300 * S) =>
  new Autoscaler(w, { downscaleStabilizationMs, calculator: DEFAULT_CALCULATOR_OPTIONS });

describe("the HPA reconcile", () => {
  it("scales a Deployment up, records the event and reports status and conditions", async () => {
    const w = new World();
    w.cpu = { p0: 1500 };
    await autoscaler(w).reconcile(hpa());
    assert.deepEqual(w.scaled, [3]);
    assert.deepEqual(w.events, [
      "Normal SuccessfulRescale: New size: 3; reason: cpu resource utilization (percentage of request) above target",
    ]);
    const status = w.last.status;
    assert.equal(status?.currentReplicas, 1);
    assert.equal(status?.desiredReplicas, 3);
    assert.equal(status?.lastScaleTime, "2026-03-01T12:00:00Z");
    assert.deepEqual(status?.currentMetrics, [
      {
        type: "Resource",
        resource: { name: "cpu", current: { averageUtilization: 150, averageValue: "1500m" } },
      },
    ]);
    assert.deepEqual(
      status?.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ["AbleToScale", "True", "SucceededRescale"],
        ["ScalingActive", "True", "ValidMetricFound"],
        ["ScalingLimited", "False", "DesiredWithinRange"],
      ],
    );
    assert.equal(
      w.condition("ScalingActive")?.message,
      "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
    );
  });

  it("limits a scale-up without behavior to double or 4, saying ScaleUpLimit", async () => {
    const w = new World();
    w.cpu = { p0: 5000 };
    await autoscaler(w).reconcile(hpa());
    assert.deepEqual(w.scaled, [4]);
    assert.equal(w.condition("ScalingLimited")?.reason, "ScaleUpLimit");
    assert.equal(w.condition("ScalingLimited")?.status, "True");
  });

  it("scales down only after the stabilization window", async () => {
    const w = new World();
    w.replicas = 4;
    w.podList = pods(4);
    w.cpu = { p0: 100, p1: 100, p2: 100, p3: 100 };
    const a = autoscaler(w, 60 * S);
    await a.reconcile(hpa());
    assert.deepEqual(w.scaled, []);
    assert.equal(w.condition("AbleToScale")?.reason, "ScaleDownStabilized");
    assert.equal(w.last.status?.desiredReplicas, 4);
    w.now_ += 30 * S;
    await a.reconcile(w.last);
    assert.deepEqual(w.scaled, []);
    w.now_ += 31 * S;
    await a.reconcile(w.last);
    assert.deepEqual(w.scaled, [1]);
    assert.match(w.events.at(-1) ?? "", /New size: 1; reason: All metrics below target$/);
  });

  it("follows spec.behavior's policies and windows", async () => {
    const w = new World();
    w.replicas = 10;
    w.podList = pods(10);
    w.cpu = Object.fromEntries(w.podList.map((p) => [p.metadata?.name ?? "", 50]));
    const behavior = {
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      },
    };
    const a = autoscaler(w);
    await a.reconcile(hpa({ behavior }));
    assert.deepEqual(w.scaled, [8]);
    assert.equal(w.condition("ScalingLimited")?.reason, "ScaleDownLimit");
    // Within the same minute the policy allows nothing more.
    w.now_ += 15 * S;
    await a.reconcile(w.last);
    assert.deepEqual(w.scaled, [8]);
    w.now_ += 50 * S;
    await a.reconcile(w.last);
    assert.deepEqual(w.scaled, [8, 6]);
  });

  it("brings replicas into [min, max] before looking at metrics", async () => {
    const w = new World();
    w.replicas = 12;
    await autoscaler(w).reconcile(hpa());
    assert.deepEqual(w.scaled, [10]);
    assert.match(w.events[0] ?? "", /reason: Current number of replicas above Spec.MaxReplicas$/);
    const low = new World();
    low.replicas = 1;
    await autoscaler(low).reconcile(hpa({ minReplicas: 2 }));
    assert.deepEqual(low.scaled, [2]);
    assert.match(low.events[0] ?? "", /reason: Current number of replicas below Spec.MinReplicas$/);
  });

  it("leaves a target scaled to zero alone (ScalingDisabled)", async () => {
    const w = new World();
    w.replicas = 0;
    await autoscaler(w).reconcile(hpa());
    assert.deepEqual(w.scaled, []);
    assert.equal(w.condition("ScalingActive")?.reason, "ScalingDisabled");
    assert.equal(w.last.status?.desiredReplicas, 0);
  });

  it("reports missing metrics as ScalingActive=False and events, without scaling", async () => {
    const w = new World();
    w.metricsError = new Error("no metrics returned from resource metrics API");
    await assert.rejects(
      autoscaler(w).reconcile(hpa()),
      /failed to compute desired number of replicas/,
    );
    assert.deepEqual(w.scaled, []);
    const active = w.condition("ScalingActive");
    assert.equal(active?.status, "False");
    assert.equal(active?.reason, "FailedGetResourceMetric");
    assert.equal(
      active?.message,
      "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    );
    assert.deepEqual(w.last.status?.currentMetrics, [{ type: "" }]);
    assert.deepEqual(
      w.events.map((e) => e.split(":")[0]),
      ["Warning FailedGetResourceMetric", "Warning FailedComputeMetricsReplicas"],
    );
  });

  it("scales on the metrics that work when the others fail on the way up", async () => {
    const w = new World();
    w.cpu = { p0: 1500 };
    const metrics = [
      ...(hpa().spec?.metrics ?? []),
      {
        type: "Pods",
        pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "10" } },
      },
    ];
    await assert.rejects(
      autoscaler(w).reconcile(hpa({ metrics })),
      /invalid metrics \(1 invalid out of 2\)/,
    );
    assert.deepEqual(w.scaled, [3]);
    assert.equal(w.condition("ScalingActive")?.status, "True");
  });

  it("reports a scale it cannot read as AbleToScale=False FailedGetScale", async () => {
    const w = new World();
    w.scaleError = new Error('deployments.apps "web" not found');
    await assert.rejects(
      autoscaler(w).reconcile(hpa()),
      /failed to query scale subresource for Deployment\/default\/web/,
    );
    assert.equal(w.condition("AbleToScale")?.reason, "FailedGetScale");
    assert.match(w.events[0] ?? "", /^Warning FailedGetScale: deployments.apps "web" not found$/);
  });

  it("refuses a target whose scale has no selector", async () => {
    const w = new World();
    w.selector = "";
    await assert.rejects(autoscaler(w).reconcile(hpa()));
    assert.equal(w.condition("ScalingActive")?.reason, "InvalidSelector");
    assert.match(w.events[0] ?? "", /SelectorRequired: selector is required/);
  });

  it("writes status only when it changed", async () => {
    const w = new World();
    w.cpu = { p0: 500 };
    const a = autoscaler(w);
    await a.reconcile(hpa());
    const first = w.last;
    assert.equal(w.statuses.length, 1);
    w.now_ += 15 * S;
    await a.reconcile(first);
    assert.equal(w.statuses.length, 1, "nothing changed: no write");
    assert.deepEqual(first.status?.currentMetrics, [
      {
        type: "Resource",
        resource: { name: "cpu", current: { averageUtilization: 50, averageValue: "500m" } },
      },
    ]);
  });

  it("uses an AverageValue target", async () => {
    const w = new World();
    w.replicas = 2;
    w.podList = pods(2);
    w.cpu = { p0: 900, p1: 900 };
    const metrics = [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "AverageValue", averageValue: "300m" } },
      },
    ];
    await autoscaler(w).reconcile(hpa({ metrics }));
    assert.deepEqual(w.scaled, [4]);
    assert.deepEqual(w.last.status?.currentMetrics, [
      { type: "Resource", resource: { name: "cpu", current: { averageValue: "900m" } } },
    ]);
    assert.match(w.events[0] ?? "", /reason: cpu resource above target$/);
  });
});
