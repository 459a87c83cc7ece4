import type { Pod, PodCondition } from "kubernetes-types/core/v1.js";

/** The pod's condition of this type. */
export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** Ready=True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, "Ready")?.status === "True";
}

/**
 * Ready for at least minReadySeconds (upstream's IsPodAvailable): the
 * Ready condition's lastTransitionTime is at least that far in the past.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = podCondition(pod, "Ready");
  if (ready?.status !== "True") return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

/** Neither finished nor being deleted (upstream's IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata?.deletionTimestamp;
}

/** Being deleted. */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/**
 * When a ready-but-not-yet-available pod becomes available (ms from
 * epoch), so a controller can requeue for that moment; undefined when the
 * pod is not ready or minReadySeconds is 0.
 */
export function availableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const ready = podCondition(pod, "Ready");
  if (ready?.status !== "True" || minReadySeconds <= 0 || !ready.lastTransitionTime)
    return undefined;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000;
}
