/** Ordering of pods by importance, as preemption uses it. */
import type { Pod } from "kubernetes-types/core/v1.js";
import { podPriority } from "../framework/pod-info.js";

/**
 * `status.startTime` in ms; a pod that has not started counts as started
 * last (upstream uses "now", which is later than any recorded start).
 */
export function podStartTime(pod: Pod): number {
  const t = pod.status?.startTime;
  const ms = t === undefined ? Number.NaN : Date.parse(t);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Higher priority first; equal priority: the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a) < podStartTime(b);
}

export function byImportance(a: Pod, b: Pod): number {
  if (moreImportantPod(a, b)) return -1;
  if (moreImportantPod(b, a)) return 1;
  return 0;
}

/** Start time of the earliest-started among the highest-priority victims. */
export function earliestStartOfHighestPriority(victims: readonly Pod[]): number {
  let maxPriority = Number.NEGATIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  for (const pod of victims) {
    const p = podPriority(pod);
    const start = podStartTime(pod);
    if (p > maxPriority) {
      maxPriority = p;
      earliest = start;
    } else if (p === maxPriority && start < earliest) {
      earliest = start;
    }
  }
  return earliest;
}
