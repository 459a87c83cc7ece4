/**
 * One HPA's reconcile (upstream's reconcileAutoscaler): read the target's
 * scale, compute the desired replicas from every metric, normalize them
 * (stabilization, min/max, rate limits), rescale through /scale, and
 * write status and conditions. The I/O is behind AutoscalerDeps; the
 * per-HPA history of recommendations and rescales lives here, in memory,
 * as upstream keeps it.
 */
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  MetricStatus,
} from "kubernetes-types/autoscaling/v2.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { parseSelector, type Selector } from "../../machinery/labels/index.js";
import { type ConditionUpdate, metaTime, setCondition } from "./conditions.js";
import { computeMetric, MetricError } from "./metric-status.js";
import {
  type Normalized,
  newScaleHistory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  recordInitialRecommendation,
  type ScaleHistory,
  storeScaleEvent,
} from "./normalize.js";
import type { CalculatorOptions } from "./replica-calculator.js";
import type { PodMetricsList } from "./resource-metrics.js";
import { scaleTargetResource } from "./scale-target.js";

/** autoscaling/v1 Scale, as the /scale subresource serves it. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface ScaleTarget {
  readonly namespace: string;
  readonly name: string;
  readonly resource: ReturnType<typeof scaleTargetResource>;
}

export interface AutoscalerDeps {
  getScale(target: ScaleTarget): Promise<Scale>;
  updateScale(target: ScaleTarget, scale: Scale): Promise<void>;
  /** The pods the selector picks in the namespace (the informer's view). */
  pods(query: { namespace: string; selector: Selector }): Pod[];
  podMetrics(query: { namespace: string; selector: string }): Promise<PodMetricsList>;
  writeStatus(hpa: HorizontalPodAutoscaler): Promise<void>;
  event(
    hpa: HorizontalPodAutoscaler,
    e: { type: "Normal" | "Warning"; reason: string; message: string },
  ): void;
  now(): number;
}

export interface AutoscalerOptions {
  /** Scale-down stabilization for HPAs without behavior (--horizontal-pod-autoscaler-downscale-stabilization, 5 min). */
  readonly downscaleStabilizationMs: number;
  readonly calculator: Omit<CalculatorOptions, "now">;
}

/** An HPA as validation guarantees it: with a spec. */
type Hpa = HorizontalPodAutoscaler & { spec: HorizontalPodAutoscalerSpec };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A reconcile that could not finish; the controller logs it and tries again next period. */
export class AutoscalerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

interface MetricsResult {
  /** -1 when no usable proposal came out (all metrics failed, or a failure on the way down). */
  readonly replicas: number;
  readonly metricName: string;
  readonly statuses: MetricStatus[];
  readonly error?: string;
}

export class Autoscaler {
  readonly #histories = new Map<string, ScaleHistory>();

  constructor(
    private readonly deps: AutoscalerDeps,
    private readonly opts: AutoscalerOptions,
  ) {}

  /** Drops what is remembered about a deleted HPA. */
  forget(key: string): void {
    this.#histories.delete(key);
  }

  /** The history of `key` (tests read it). */
  history(key: string): ScaleHistory {
    let h = this.#histories.get(key);
    if (!h) {
      h = newScaleHistory();
      this.#histories.set(key, h);
    }
    return h;
  }

  async reconcile(cached: HorizontalPodAutoscaler): Promise<void> {
    if (!cached.spec) return;
    const hpa = structuredClone(cached) as Hpa;
    hpa.apiVersion = "autoscaling/v2";
    hpa.kind = "HorizontalPodAutoscaler";
    const original = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    const namespace = hpa.metadata?.namespace ?? "";
    const key = `${namespace}/${hpa.metadata?.name ?? ""}`;
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${namespace}/${ref.name}`;
    const now = this.deps.now();
    const set = (c: ConditionUpdate) => {
      hpa.status ??= { desiredReplicas: 0 };
      hpa.status.conditions ??= [];
      setCondition(hpa.status.conditions, { ...c, now });
    };

    let target: ScaleTarget;
    let scale: Scale;
    try {
      target = { namespace, name: ref.name, resource: scaleTargetResource(ref) };
      scale = await this.deps.getScale(target);
    } catch (err) {
      this.deps.event(hpa, { type: "Warning", reason: "FailedGetScale", message: errorText(err) });
      set({
        type: "AbleToScale",
        status: "False",
        reason: "FailedGetScale",
        message: `the HPA controller was unable to get the target's current scale: ${errorText(err)}`,
      });
      await this.#writeStatusIfNeeded(original, hpa);
      throw new AutoscalerError(
        `failed to query scale subresource for ${reference}: ${errorText(err)}`,
        {
          cause: err,
        },
      );
    }
    set({
      type: "AbleToScale",
      status: "True",
      reason: "SucceededGetScale",
      message: "the HPA controller was able to get the target's current scale",
    });
    const currentReplicas = scale.spec?.replicas ?? 0;
    const history = this.history(key);
    recordInitialRecommendation(history, { currentReplicas, now });

    const minReplicas = hpa.spec.minReplicas ?? 1;
    const maxReplicas = hpa.spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = "";
    let rescale = true;
    let statuses: MetricStatus[] = [];
    let partialError: string | undefined;
    if (currentReplicas === 0 && minReplicas !== 0) {
      // Autoscaling is off while the target is scaled to zero by hand.
      rescale = false;
      set({
        type: "ScalingActive",
        status: "False",
        reason: "ScalingDisabled",
        message: "scaling is disabled since the replica count of the target is zero",
      });
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = "Current number of replicas above Spec.MaxReplicas";
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = "Current number of replicas below Spec.MinReplicas";
      desiredReplicas = minReplicas;
    } else {
      const result = await this.#computeReplicasForMetrics(hpa, { scale, set, now });
      statuses = result.statuses;
      if (result.replicas === -1) {
        setStatus(hpa, {
          currentReplicas,
          desiredReplicas: hpa.status?.desiredReplicas ?? 0,
          statuses,
        });
        await this.#writeStatusIfNeeded(original, hpa);
        const message = result.error ?? "no metrics";
        this.deps.event(hpa, { type: "Warning", reason: "FailedComputeMetricsReplicas", message });
        throw new AutoscalerError(
          `failed to compute desired number of replicas based on listed metrics for ${reference}: ${message}`,
        );
      }
      partialError = result.error;
      desiredReplicas = Math.max(desiredReplicas, result.replicas);
      if (desiredReplicas > currentReplicas) rescaleReason = `${result.metricName} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = "All metrics below target";
      const normalized = this.#normalize(hpa, {
        history,
        currentReplicas,
        desiredReplicas,
        minReplicas,
        now,
      });
      set({ type: "AbleToScale", status: "True", ...normalized.ableToScale });
      set({ type: "ScalingLimited", ...normalized.limited });
      desiredReplicas = normalized.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.deps.updateScale(target, {
          ...scale,
          spec: { ...scale.spec, replicas: desiredReplicas },
        });
      } catch (err) {
        this.deps.event(hpa, {
          type: "Warning",
          reason: "FailedRescale",
          message: `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${errorText(err)}`,
        });
        set({
          type: "AbleToScale",
          status: "False",
          reason: "FailedUpdateScale",
          message: `the HPA controller was unable to update the target scale: ${errorText(err)}`,
        });
        setStatus(hpa, {
          currentReplicas,
          desiredReplicas: hpa.status?.desiredReplicas ?? 0,
          statuses,
        });
        await this.#writeStatusIfNeeded(original, hpa);
        throw new AutoscalerError(`failed to rescale ${reference}: ${errorText(err)}`, {
          cause: err,
        });
      }
      set({
        type: "AbleToScale",
        status: "True",
        reason: "SucceededRescale",
        message: `the HPA controller was able to update the target scale to ${desiredReplicas}`,
      });
      this.deps.event(hpa, {
        type: "Normal",
        reason: "SuccessfulRescale",
        message: `New size: ${desiredReplicas}; reason: ${rescaleReason}`,
      });
      storeScaleEvent(history, {
        behavior: hpa.spec.behavior,
        from: currentReplicas,
        to: desiredReplicas,
        now,
      });
    } else {
      desiredReplicas = currentReplicas;
    }
    setStatus(hpa, {
      currentReplicas,
      desiredReplicas,
      statuses,
      ...(rescale ? { scaledAt: now } : {}),
    });
    await this.#writeStatusIfNeeded(original, hpa);
    if (partialError !== undefined) throw new AutoscalerError(partialError);
  }

  /** The largest proposal over the metrics, and ScalingActive (upstream's computeReplicasForMetrics). */
  async #computeReplicasForMetrics(
    hpa: Hpa,
    ctx: { scale: Scale; set: (c: ConditionUpdate) => void; now: number },
  ): Promise<MetricsResult> {
    const selectorText = ctx.scale.status?.selector ?? "";
    const namespace = hpa.metadata?.namespace ?? "";
    const invalidSelector = (e: {
      reason: string;
      event: string;
      message: string;
    }): MetricsResult => {
      const { reason, event, message } = e;
      this.deps.event(hpa, { type: "Warning", reason, message: event });
      ctx.set({ type: "ScalingActive", status: "False", reason: "InvalidSelector", message });
      return { replicas: -1, metricName: "", statuses: [], error: event };
    };
    if (selectorText === "")
      return invalidSelector({
        reason: "SelectorRequired",
        event: "selector is required",
        message: "the HPA target's scale is missing a selector",
      });
    let selector: Selector;
    try {
      selector = parseSelector(selectorText);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${errorText(err)}`;
      return invalidSelector({ reason: "InvalidSelector", event: message, message });
    }
    const specs = hpa.spec.metrics ?? [];
    const specReplicas = ctx.scale.spec?.replicas ?? 0;
    const pods = this.deps.pods({ namespace, selector });
    let metricsList: Promise<PodMetricsList> | undefined;
    const metricCtx = {
      specReplicas,
      pods,
      // One metrics.k8s.io read serves every resource metric of this sync.
      podMetrics: () => {
        metricsList ??= this.deps.podMetrics({ namespace, selector: selectorText });
        return metricsList;
      },
      opts: { ...this.opts.calculator, now: ctx.now },
    };
    const statuses: MetricStatus[] = specs.map(() => ({ type: "" }));
    let replicas = 0;
    let metricName = "";
    let invalid = 0;
    let first: MetricError | undefined;
    for (const [i, spec] of specs.entries()) {
      try {
        const p = await computeMetric(spec, metricCtx);
        statuses[i] = p.status;
        if (replicas === 0 || p.replicas > replicas) {
          replicas = p.replicas;
          metricName = p.metricName;
        }
      } catch (err) {
        const e =
          err instanceof MetricError
            ? err
            : new MetricError("FailedGetResourceMetric", errorText(err));
        this.deps.event(hpa, { type: "Warning", reason: e.reason, message: e.message });
        first ??= e;
        invalid++;
      }
    }
    const error = first
      ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`
      : undefined;
    // All failed, or some failed and the rest would scale down: do not act on partial data.
    if (first && (invalid >= specs.length || replicas < specReplicas)) {
      ctx.set({
        type: "ScalingActive",
        status: "False",
        reason: first.reason,
        message: `the HPA was unable to compute the replica count: ${first.message}`,
      });
      return { replicas: -1, metricName: "", statuses, ...(error ? { error } : {}) };
    }
    ctx.set({
      type: "ScalingActive",
      status: "True",
      reason: "ValidMetricFound",
      message: `the HPA was able to successfully calculate a replica count from ${metricName}`,
    });
    return { replicas, metricName, statuses, ...(error ? { error } : {}) };
  }

  #normalize(
    hpa: Hpa,
    input: {
      history: ScaleHistory;
      currentReplicas: number;
      desiredReplicas: number;
      minReplicas: number;
      now: number;
    },
  ): Normalized {
    const args = {
      currentReplicas: input.currentReplicas,
      desiredReplicas: input.desiredReplicas,
      minReplicas: input.minReplicas,
      maxReplicas: hpa.spec.maxReplicas,
      now: input.now,
      downscaleStabilizationMs: this.opts.downscaleStabilizationMs,
    };
    const behavior = hpa.spec.behavior;
    return behavior
      ? normalizeDesiredReplicasWithBehaviors(input.history, { ...args, behavior })
      : normalizeDesiredReplicas(input.history, args);
  }

  async #writeStatusIfNeeded(
    original: HorizontalPodAutoscalerStatus,
    hpa: HorizontalPodAutoscaler,
  ): Promise<void> {
    if (JSON.stringify(original) === JSON.stringify(hpa.status)) return;
    await this.deps.writeStatus(hpa);
  }
}

/** Replaces the status fields the controller owns, keeping conditions and lastScaleTime. */
function setStatus(
  hpa: HorizontalPodAutoscaler,
  s: {
    currentReplicas: number;
    desiredReplicas: number;
    statuses: MetricStatus[];
    scaledAt?: number;
  },
): void {
  const old = hpa.status;
  const lastScaleTime = s.scaledAt !== undefined ? metaTime(s.scaledAt) : old?.lastScaleTime;
  hpa.status = {
    currentReplicas: s.currentReplicas,
    desiredReplicas: s.desiredReplicas,
    ...(lastScaleTime ? { lastScaleTime } : {}),
    ...(s.statuses.length > 0 ? { currentMetrics: s.statuses } : {}),
    ...(old?.conditions ? { conditions: old.conditions } : {}),
  };
}
