/**
 * The HPA's replica arithmetic (upstream's replica_calculator.go), pure:
 * which pods count, how missing and not-yet-ready pods are filled in, and
 * the desired replica count from the usage ratio, within the tolerance.
 *
 * Values are milli-units throughout (CPU millicores, memory milli-bytes),
 * as upstream's MilliValue(); times are ms since the epoch.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../machinery/quantity/index.js";
import { podCondition } from "../common/pod-state.js";

/** One pod's metric: its value and when, over which window, it was measured. */
export interface PodMetric {
  readonly value: number;
  readonly timestamp: number;
  readonly windowMs: number;
}

/** Metrics by pod name. */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface CalculatorOptions {
  /** Changes within this fraction of the target are not acted on (upstream 0.1). */
  readonly tolerance: number;
  /** How long after start a pod's CPU is suspect (--horizontal-pod-autoscaler-cpu-initialization-period, 5 min). */
  readonly cpuInitializationPeriodMs: number;
  /** How long after start a never-ready pod may still turn ready (--horizontal-pod-autoscaler-initial-readiness-delay, 30 s). */
  readonly delayOfInitialReadinessStatusMs: number;
  readonly now: number;
}

export const DEFAULT_CALCULATOR_OPTIONS: Omit<CalculatorOptions, "now"> = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

/** An expected failure to compute a replica count (no pods, no metrics, no requests). */
export class ReplicaCalculationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface PodGroups {
  /** Pods whose metrics count as they are. */
  readonly readyPodCount: number;
  /** Pending pods, and for CPU pods not ready or still warming up: counted as 0 on scale-up. */
  readonly unready: ReadonlySet<string>;
  /** Running pods without metrics: 100% on scale-down, 0 on scale-up. */
  readonly missing: ReadonlySet<string>;
  /** Deleted and failed pods: never counted. */
  readonly ignored: ReadonlySet<string>;
}

const ms = (time: string | undefined) => (time ? Date.parse(time) : Number.NaN);

/** Whether a CPU sample of a running pod must not be trusted yet (upstream's groupPods). */
function cpuUnready(pod: Pod, ctx: { metric: PodMetric; opts: CalculatorOptions }): boolean {
  const { metric, opts } = ctx;
  const ready = podCondition(pod, "Ready");
  const started = ms(pod.status?.startTime);
  if (!ready || Number.isNaN(started)) return true;
  const transition = ms(ready.lastTransitionTime);
  if (started + opts.cpuInitializationPeriodMs > opts.now) {
    // Still initializing: unready, or no full window measured since it turned ready.
    return ready.status === "False" || metric.timestamp < transition + metric.windowMs;
  }
  // Past initialization: only a pod that has never been ready is left out.
  return ready.status === "False" && started + opts.delayOfInitialReadinessStatusMs > transition;
}

export function groupPods(
  pods: readonly Pod[],
  ctx: { metrics: PodMetricsInfo; resource: string; opts: CalculatorOptions },
): PodGroups {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? "";
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === "Failed") {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === "Pending") {
      unready.add(name);
      continue;
    }
    const metric = ctx.metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (ctx.resource === "cpu" && cpuUnready(pod, { metric, opts: ctx.opts })) {
      unready.add(name);
      continue;
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

function requestOf(
  pod: Pod,
  of: { c: { name: string; resources?: { requests?: Record<string, unknown> } }; resource: string },
): number {
  const { c, resource } = of;
  const q = c.resources?.requests?.[resource];
  if (q === undefined || q === null)
    throw new ReplicaCalculationError(
      `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ""}`,
    );
  return parseQuantity(String(q)).milliValue();
}

/**
 * Each pod's request of `resource` (milli-units), summed over its containers
 * and sidecars (restartable init containers), or only `container`'s.
 */
export function podRequests(
  pods: readonly Pod[],
  target: { resource: string; container?: string },
): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? [])
      if (!target.container || c.name === target.container)
        sum += requestOf(pod, { c, resource: target.resource });
    if (!target.container)
      for (const c of pod.spec?.initContainers ?? [])
        if (c.restartPolicy === "Always") sum += requestOf(pod, { c, resource: target.resource });
    out.set(pod.metadata?.name ?? "", sum);
  }
  return out;
}

/** Usage over requests, for pods with both (upstream's GetResourceUtilizationRatio). */
export function resourceUtilizationRatio(
  metrics: PodMetricsInfo,
  ctx: { requests: ReadonlyMap<string, number>; targetUtilization: number },
): { usageRatio: number; utilization: number; rawUtilization: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let counted = 0;
  for (const [name, metric] of metrics) {
    const request = ctx.requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    counted++;
  }
  if (requestsTotal === 0)
    throw new ReplicaCalculationError("no metrics returned matched known pods");
  // Integer arithmetic as upstream's int64: utilization is a whole percentage.
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    usageRatio: utilization / ctx.targetUtilization,
    utilization,
    rawUtilization: Math.trunc(metricsTotal / counted),
  };
}

/** Average value over target (upstream's GetMetricUsageRatio). */
export function metricUsageRatio(
  metrics: PodMetricsInfo,
  targetUsage: number,
): { usageRatio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}

interface Calculation {
  readonly currentReplicas: number;
  readonly pods: readonly Pod[];
  readonly metrics: PodMetricsInfo;
  readonly resource: string;
}

/**
 * What the pods' usage asks for, filling in unready and missing pods the
 * way upstream does; also the metrics that counted as measured (for status).
 */
function replicasFor(
  c: Calculation,
  ctx: {
    opts: CalculatorOptions;
    ratio: (metrics: PodMetricsInfo) => number;
    /** The value a missing pod is assumed to use on a scale-down. */
    fullUsage: (pod: string) => number;
  },
): { replicas: number; counted: PodMetricsInfo } {
  if (c.pods.length === 0)
    throw new ReplicaCalculationError(
      "no pods returned by selector while calculating replica count",
    );
  const counted = new Map(c.metrics);
  const groups = groupPods(c.pods, { metrics: counted, resource: c.resource, opts: ctx.opts });
  for (const name of [...groups.ignored, ...groups.unready]) counted.delete(name);
  if (counted.size === 0)
    throw new ReplicaCalculationError("did not receive metrics for any ready pods");
  const usageRatio = ctx.ratio(counted);
  const tolerance = ctx.opts.tolerance;
  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - usageRatio) <= tolerance) return { replicas: c.currentReplicas, counted };
    return { replicas: Math.ceil(usageRatio * groups.readyPodCount), counted };
  }
  const metrics = new Map(counted);
  if (usageRatio < 1)
    for (const name of groups.missing) metrics.set(name, fill(ctx.fullUsage(name)));
  else if (usageRatio > 1) for (const name of groups.missing) metrics.set(name, fill(0));
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, fill(0));
  const newRatio = ctx.ratio(metrics);
  // Too small a change, or the filled-in pods would reverse the direction: stay.
  if (
    Math.abs(1 - newRatio) <= tolerance ||
    (usageRatio < 1 && newRatio > 1) ||
    (usageRatio > 1 && newRatio < 1)
  )
    return { replicas: c.currentReplicas, counted };
  const replicas = Math.ceil(newRatio * metrics.size);
  const reverses =
    (newRatio < 1 && replicas > c.currentReplicas) ||
    (newRatio > 1 && replicas < c.currentReplicas);
  return { replicas: reverses ? c.currentReplicas : replicas, counted };
}

const fill = (value: number): PodMetric => ({ value, timestamp: 0, windowMs: 0 });

/**
 * Replicas for a Utilization target (percent of requests), with the
 * current utilization and average raw usage for status.
 */
export function resourceReplicas(
  c: Calculation & { targetUtilization: number; container?: string },
  opts: CalculatorOptions,
): { replicas: number; utilization: number; rawUtilization: number } {
  const requests = podRequests(c.pods, {
    resource: c.resource,
    ...(c.container ? { container: c.container } : {}),
  });
  const target = { requests, targetUtilization: c.targetUtilization };
  // A missing pod on a scale-down uses all it asked for, or the target when that is above 100%.
  const fallback = Math.max(100, c.targetUtilization);
  const { replicas, counted } = replicasFor(c, {
    opts,
    ratio: (m) => resourceUtilizationRatio(m, target).usageRatio,
    fullUsage: (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallback) / 100),
  });
  const { utilization, rawUtilization } = resourceUtilizationRatio(counted, target);
  return { replicas, utilization, rawUtilization };
}

/** Replicas for an AverageValue target (milli-units per pod), with the current average for status. */
export function rawResourceReplicas(
  c: Calculation & { targetUsage: number },
  opts: CalculatorOptions,
): { replicas: number; usage: number } {
  const { replicas, counted } = replicasFor(c, {
    opts,
    ratio: (m) => metricUsageRatio(m, c.targetUsage).usageRatio,
    fullUsage: () => c.targetUsage,
  });
  return { replicas, usage: metricUsageRatio(counted, c.targetUsage).usage };
}
