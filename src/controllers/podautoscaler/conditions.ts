/**
 * HPA status conditions (upstream's setCondition): set in place, the
 * transition time moving only when the status changes. Pure.
 */
import type { HorizontalPodAutoscalerCondition } from "kubernetes-types/autoscaling/v2.js";

export type ConditionType = "AbleToScale" | "ScalingActive" | "ScalingLimited";

export interface ConditionUpdate {
  readonly type: ConditionType;
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
}

/** metav1.Time: RFC 3339 to the second. */
export const metaTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function setCondition(
  conditions: HorizontalPodAutoscalerCondition[],
  update: ConditionUpdate & { now: number },
): void {
  let existing = conditions.find((c) => c.type === update.type);
  if (!existing) {
    existing = { type: update.type, status: "" };
    conditions.push(existing);
  }
  if (existing.status !== update.status) existing.lastTransitionTime = metaTime(update.now);
  existing.status = update.status;
  existing.reason = update.reason;
  existing.message = update.message;
}
