import type { KubeObject } from "../strategy.js";
import type { Conversion } from "./types.js";

type Metric = {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number } };
};
type CurrentMetric = {
  type?: string;
  resource?: { name?: string; current?: { averageUtilization?: number } };
};

/** Annotations upstream's autoscaling/v1 form uses to carry what v1 has no field for. */
const METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
const CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics";
const BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior";
const CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions";

const isCpuUtilization = (m: Metric) =>
  m.type === "Resource" && m.resource?.name === "cpu" && m.resource.target?.type === "Utilization";

function parseAnnotation<T>(annotations: Record<string, string>, key: string): T | undefined {
  const text = annotations[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** autoscaling/v1 HPAs are stored as autoscaling/v2: CPU utilization maps to a Resource metric. */
export const hpaV1: Conversion = {
  storage: { group: "autoscaling", version: "v2" },
  toStorage(v1) {
    const meta = structuredClone(v1.metadata ?? {});
    const annotations = { ...(meta.annotations ?? {}) };
    const spec = (v1.spec ?? {}) as Record<string, unknown>;
    const metrics: Metric[] = parseAnnotation<Metric[]>(annotations, METRICS_ANNOTATION) ?? [];
    if (typeof spec.targetCPUUtilizationPercentage === "number") {
      metrics.unshift({
        type: "Resource",
        resource: {
          name: "cpu",
          target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage },
        },
      });
    }
    const behavior = parseAnnotation<unknown>(annotations, BEHAVIOR_ANNOTATION);
    const status = (v1.status ?? {}) as Record<string, unknown>;
    const currentMetrics: CurrentMetric[] =
      parseAnnotation<CurrentMetric[]>(annotations, CURRENT_METRICS_ANNOTATION) ?? [];
    if (typeof status.currentCPUUtilizationPercentage === "number") {
      currentMetrics.unshift({
        type: "Resource",
        resource: {
          name: "cpu",
          current: { averageUtilization: status.currentCPUUtilizationPercentage },
        },
      });
    }
    const conditions = parseAnnotation<unknown[]>(annotations, CONDITIONS_ANNOTATION);
    for (const k of [
      METRICS_ANNOTATION,
      CURRENT_METRICS_ANNOTATION,
      BEHAVIOR_ANNOTATION,
      CONDITIONS_ANNOTATION,
    ])
      delete annotations[k];
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    else delete meta.annotations;
    const out: KubeObject = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta,
      spec: {
        ...(spec.scaleTargetRef !== undefined ? { scaleTargetRef: spec.scaleTargetRef } : {}),
        ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
        ...(spec.maxReplicas !== undefined ? { maxReplicas: spec.maxReplicas } : {}),
        ...(metrics.length > 0 ? { metrics } : {}),
        ...(behavior !== undefined ? { behavior } : {}),
      },
    };
    if (v1.status !== undefined) {
      out.status = {
        ...(status.observedGeneration !== undefined
          ? { observedGeneration: status.observedGeneration }
          : {}),
        ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
        ...(status.currentReplicas !== undefined
          ? { currentReplicas: status.currentReplicas }
          : {}),
        ...(status.desiredReplicas !== undefined
          ? { desiredReplicas: status.desiredReplicas }
          : {}),
        ...(currentMetrics.length > 0 ? { currentMetrics } : {}),
        ...(conditions !== undefined ? { conditions } : {}),
      };
    }
    return out;
  },
  fromStorage(v2) {
    const meta = structuredClone(v2.metadata ?? {});
    const annotations = { ...(meta.annotations ?? {}) };
    const spec = (v2.spec ?? {}) as Record<string, unknown>;
    const metrics = (spec.metrics as Metric[] | undefined) ?? [];
    const cpu = metrics.find(isCpuUtilization);
    const others = metrics.filter((m) => m !== cpu);
    if (others.length > 0) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
    if (spec.behavior !== undefined)
      annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
    const status = (v2.status ?? {}) as Record<string, unknown>;
    const current = (status.currentMetrics as CurrentMetric[] | undefined) ?? [];
    const cpuNow = current.find((m) => m.type === "Resource" && m.resource?.name === "cpu");
    const otherNow = current.filter((m) => m !== cpuNow);
    if (otherNow.length > 0) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(otherNow);
    if (Array.isArray(status.conditions) && status.conditions.length > 0) {
      annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
    }
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    const out: KubeObject = {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: meta,
      spec: {
        ...(spec.scaleTargetRef !== undefined ? { scaleTargetRef: spec.scaleTargetRef } : {}),
        ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
        ...(spec.maxReplicas !== undefined ? { maxReplicas: spec.maxReplicas } : {}),
        ...(cpu?.resource?.target?.averageUtilization !== undefined
          ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization }
          : {}),
      },
    };
    if (v2.status !== undefined) {
      out.status = {
        ...(status.observedGeneration !== undefined
          ? { observedGeneration: status.observedGeneration }
          : {}),
        ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
        currentReplicas: status.currentReplicas ?? 0,
        desiredReplicas: status.desiredReplicas ?? 0,
        ...(cpuNow?.resource?.current?.averageUtilization !== undefined
          ? { currentCPUUtilizationPercentage: cpuNow.resource.current.averageUtilization }
          : {}),
      };
    }
    return out;
  },
};
