/**
 * From the metrics' recommendation to the replica count actually set
 * (upstream's normalizeDesiredReplicas and ...WithBehaviors), pure:
 * stabilization over recent recommendations, min/max, and the rate limits
 * — the fixed "double or +4" rule without spec.behavior, the scaling
 * policies with it. The history of recommendations and scale events is the
 * controller's memory of each HPA; these functions update it.
 */
import type {
  HorizontalPodAutoscalerBehavior,
  HPAScalingRules,
} from "kubernetes-types/autoscaling/v2.js";

export interface ScaleEvent {
  /** Replicas added (scale-up list) or removed (scale-down list). */
  readonly replicaChange: number;
  readonly timestamp: number;
  outdated: boolean;
}

export interface ScaleHistory {
  recommendations: Array<{ recommendation: number; timestamp: number }>;
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export function newScaleHistory(): ScaleHistory {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

/** A decision and the ScalingLimited / AbleToScale reason and message explaining it. */
export interface Limited {
  readonly replicas: number;
  readonly reason: string;
  readonly message: string;
}

export interface NormalizeInput {
  readonly currentReplicas: number;
  /** What the metrics recommend. */
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly now: number;
}

export interface Normalized {
  readonly replicas: number;
  /** The AbleToScale condition: stabilized or ready for the new scale. */
  readonly ableToScale: { reason: string; message: string };
  /** The ScalingLimited condition (True when the limits changed the stabilized value). */
  readonly limited: { status: "True" | "False"; reason: string; message: string };
}

const READY_FOR_NEW_SCALE = {
  reason: "ReadyForNewScale",
  message: "recommended size matches current size",
};
const SCALE_DOWN_STABILIZED = {
  reason: "ScaleDownStabilized",
  message:
    "recent recommendations were higher than current one, applying the highest recent recommendation",
};
const SCALE_UP_STABILIZED = {
  reason: "ScaleUpStabilized",
  message:
    "recent recommendations were lower than current one, applying the lowest recent recommendation",
};
const WITHIN_RANGE = {
  reason: "DesiredWithinRange",
  message: "the desired count is within the acceptable range",
};
const TOO_FEW = {
  reason: "TooFewReplicas",
  message: "the desired replica count is less than the minimum replica count",
};
const TOO_MANY = {
  reason: "TooManyReplicas",
  message: "the desired replica count is more than the maximum replica count",
};
const SCALE_UP_LIMIT = {
  reason: "ScaleUpLimit",
  message: "the desired replica count is increasing faster than the maximum scale rate",
};
const SCALE_DOWN_LIMIT = {
  reason: "ScaleDownLimit",
  message: "the desired replica count is decreasing faster than the maximum scale rate",
};

/** Without spec.behavior, a scale-up may at most double the replicas or reach 4. */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export function scaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** Remembers the first recommendation as the current size, so scale-downs wait a full window. */
export function recordInitialRecommendation(
  history: ScaleHistory,
  at: { currentReplicas: number; now: number },
): void {
  if (history.recommendations.length === 0)
    history.recommendations.push({ recommendation: at.currentReplicas, timestamp: at.now });
}

/** Stores `recommendation`, reusing the slot of one older than `cutoff` if there is one. */
function record(
  history: ScaleHistory,
  entry: { recommendation: number; timestamp: number; oldIndex: number | undefined },
): void {
  const rec = { recommendation: entry.recommendation, timestamp: entry.timestamp };
  if (entry.oldIndex !== undefined) history.recommendations[entry.oldIndex] = rec;
  else history.recommendations.push(rec);
}

/** The highest recommendation within the downscale stabilization window (no behavior). */
export function stabilizeRecommendation(
  history: ScaleHistory,
  input: { desiredReplicas: number; windowMs: number; now: number },
): number {
  let max = input.desiredReplicas;
  let oldIndex: number | undefined;
  const cutoff = input.now - input.windowMs;
  history.recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  });
  record(history, { recommendation: input.desiredReplicas, timestamp: input.now, oldIndex });
  return max;
}

/** Min/max and the fixed scale-up rate (no behavior). */
export function convertDesiredReplicasWithRules(input: NormalizeInput): Limited {
  const upLimit = scaleUpLimit(input.currentReplicas);
  const [maximum, limiting] =
    input.maxReplicas > upLimit ? [upLimit, SCALE_UP_LIMIT] : [input.maxReplicas, TOO_MANY];
  if (input.desiredReplicas < input.minReplicas) return { replicas: input.minReplicas, ...TOO_FEW };
  if (input.desiredReplicas > maximum) return { replicas: maximum, ...limiting };
  return { replicas: input.desiredReplicas, ...WITHIN_RANGE };
}

/** Upstream's normalizeDesiredReplicas: HPAs without spec.behavior. */
export function normalizeDesiredReplicas(
  history: ScaleHistory,
  input: NormalizeInput & { downscaleStabilizationMs: number },
): Normalized {
  const stabilized = stabilizeRecommendation(history, {
    desiredReplicas: input.desiredReplicas,
    windowMs: input.downscaleStabilizationMs,
    now: input.now,
  });
  const limited = convertDesiredReplicasWithRules({ ...input, desiredReplicas: stabilized });
  return {
    replicas: limited.replicas,
    ableToScale: stabilized !== input.desiredReplicas ? SCALE_DOWN_STABILIZED : READY_FOR_NEW_SCALE,
    limited: {
      status: limited.replicas === stabilized ? "False" : "True",
      reason: limited.reason,
      message: limited.message,
    },
  };
}

/** Upstream's defaults for rules the HPA leaves out (the API server fills them too). */
export function effectiveBehavior(
  behavior: HorizontalPodAutoscalerBehavior,
  downscaleStabilizationMs: number,
): { scaleUp: Required<HPAScalingRules>; scaleDown: Required<HPAScalingRules> } {
  const up = behavior.scaleUp ?? {};
  const down = behavior.scaleDown ?? {};
  return {
    scaleUp: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? 0,
      selectPolicy: up.selectPolicy ?? "Max",
      policies: up.policies ?? [
        { type: "Pods", value: 4, periodSeconds: 15 },
        { type: "Percent", value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      // Unset, the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
      stabilizationWindowSeconds:
        down.stabilizationWindowSeconds ?? Math.round(downscaleStabilizationMs / 1000),
      selectPolicy: down.selectPolicy ?? "Max",
      policies: down.policies ?? [{ type: "Percent", value: 100, periodSeconds: 15 }],
    },
  };
}

type Rules = ReturnType<typeof effectiveBehavior>;

/**
 * Stabilization with behavior: the lowest recommendation of the scale-up
 * window and the highest of the scale-down window bound the result.
 */
export function stabilizeRecommendationWithBehaviors(
  history: ScaleHistory,
  input: NormalizeInput & { rules: Rules },
): { replicas: number; reason: string; message: string } {
  const upCutoff = input.now - input.rules.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = input.now - input.rules.scaleDown.stabilizationWindowSeconds * 1000;
  let up = input.desiredReplicas;
  let down = input.desiredReplicas;
  let oldIndex: number | undefined;
  history.recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) up = Math.min(rec.recommendation, up);
    if (rec.timestamp > downCutoff) down = Math.max(rec.recommendation, down);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  let replicas = input.currentReplicas;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  record(history, { recommendation: input.desiredReplicas, timestamp: input.now, oldIndex });
  const why =
    input.desiredReplicas >= input.currentReplicas ? SCALE_UP_STABILIZED : SCALE_DOWN_STABILIZED;
  return { replicas, ...why };
}

/** Replicas changed by events within the last `periodSeconds`. */
function changeInPeriod(
  events: readonly ScaleEvent[],
  at: { periodSeconds: number; now: number },
): number {
  const cutoff = at.now - at.periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestamp > cutoff ? sum + e.replicaChange : sum), 0);
}

/** How far up the policies allow from the replicas at the start of each policy's period. */
export function scaleUpLimitWithRules(
  history: ScaleHistory,
  input: { currentReplicas: number; rules: Required<HPAScalingRules>; now: number },
): number {
  const { rules } = input;
  if (rules.selectPolicy === "Disabled") return input.currentReplicas;
  const pick = rules.selectPolicy === "Min" ? Math.min : Math.max;
  let result = rules.selectPolicy === "Min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const at = { periodSeconds: policy.periodSeconds, now: input.now };
    const periodStart =
      input.currentReplicas -
      changeInPeriod(history.scaleUpEvents, at) +
      changeInPeriod(history.scaleDownEvents, at);
    const proposed =
      policy.type === "Pods"
        ? periodStart + policy.value
        : Math.ceil(periodStart * (1 + policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** How far down the policies allow; the "Min" policy (smallest change) is the largest count. */
export function scaleDownLimitWithRules(
  history: ScaleHistory,
  input: { currentReplicas: number; rules: Required<HPAScalingRules>; now: number },
): number {
  const { rules } = input;
  if (rules.selectPolicy === "Disabled") return input.currentReplicas;
  const pick = rules.selectPolicy === "Min" ? Math.max : Math.min;
  let result = rules.selectPolicy === "Min" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const at = { periodSeconds: policy.periodSeconds, now: input.now };
    const periodStart =
      input.currentReplicas -
      changeInPeriod(history.scaleUpEvents, at) +
      changeInPeriod(history.scaleDownEvents, at);
    const proposed =
      policy.type === "Pods"
        ? periodStart - policy.value
        : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** Min/max and the policies' rate limits (upstream's convertDesiredReplicasWithBehaviorRate). */
export function convertDesiredReplicasWithBehaviorRate(
  history: ScaleHistory,
  input: NormalizeInput & { rules: Rules },
): Limited {
  if (input.desiredReplicas > input.currentReplicas) {
    // No further scale-up until the events of the current periods age out.
    const upLimit = Math.max(
      scaleUpLimitWithRules(history, { ...input, rules: input.rules.scaleUp }),
      input.currentReplicas,
    );
    const [maximum, limiting] =
      input.maxReplicas > upLimit ? [upLimit, SCALE_UP_LIMIT] : [input.maxReplicas, TOO_MANY];
    if (input.desiredReplicas > maximum) return { replicas: maximum, ...limiting };
  } else if (input.desiredReplicas < input.currentReplicas) {
    const downLimit = Math.min(
      scaleDownLimitWithRules(history, { ...input, rules: input.rules.scaleDown }),
      input.currentReplicas,
    );
    const [minimum, limiting] =
      input.minReplicas < downLimit ? [downLimit, SCALE_DOWN_LIMIT] : [input.minReplicas, TOO_FEW];
    if (input.desiredReplicas < minimum) return { replicas: minimum, ...limiting };
  }
  return { replicas: input.desiredReplicas, ...WITHIN_RANGE };
}

/** Upstream's normalizeDesiredReplicasWithBehaviors: HPAs with spec.behavior. */
export function normalizeDesiredReplicasWithBehaviors(
  history: ScaleHistory,
  input: NormalizeInput & {
    behavior: HorizontalPodAutoscalerBehavior;
    downscaleStabilizationMs: number;
  },
): Normalized {
  const rules = effectiveBehavior(input.behavior, input.downscaleStabilizationMs);
  const stabilized = stabilizeRecommendationWithBehaviors(history, { ...input, rules });
  const limited = convertDesiredReplicasWithBehaviorRate(history, {
    ...input,
    rules,
    desiredReplicas: stabilized.replicas,
  });
  return {
    replicas: limited.replicas,
    ableToScale:
      stabilized.replicas !== input.desiredReplicas
        ? { reason: stabilized.reason, message: stabilized.message }
        : READY_FOR_NEW_SCALE,
    limited: {
      status: limited.replicas === stabilized.replicas ? "False" : "True",
      reason: limited.reason,
      message: limited.message,
    },
  };
}

/** The longest policy period of a direction: events older than that no longer matter. */
function longestPeriodSeconds(rules: Required<HPAScalingRules>): number {
  return Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
}

/**
 * Records a rescale for the policies' rate limits (only HPAs with behavior
 * use them), reusing the slot of an event older than every policy period.
 */
export function storeScaleEvent(
  history: ScaleHistory,
  input: {
    behavior: HorizontalPodAutoscalerBehavior | undefined;
    from: number;
    to: number;
    now: number;
  },
): void {
  if (!input.behavior) return;
  const up = input.to > input.from;
  const effective = effectiveBehavior(input.behavior, 0);
  const rules = up ? effective.scaleUp : effective.scaleDown;
  const events = up ? history.scaleUpEvents : history.scaleDownEvents;
  const cutoff = input.now - longestPeriodSeconds(rules) * 1000;
  for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
  const event: ScaleEvent = {
    replicaChange: Math.abs(input.to - input.from),
    timestamp: input.now,
    outdated: false,
  };
  const slot = events.findIndex((e) => e.outdated);
  if (slot >= 0) events[slot] = event;
  else events.push(event);
}
