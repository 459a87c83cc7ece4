import type { Pod } from "kubernetes-types/core/v1.js";
import { isPodAvailable, isPodReady } from "../common/pod-state.js";

/** Phase Running with Ready=True. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === "Running" && isPodReady(pod);
}

/** Running, ready and not being deleted. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !pod.metadata?.deletionTimestamp;
}

/** Ready for minReadySeconds. */
export function isAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/** Finished for good: a stateful pod is then replaced, whatever its exit code. */
export function isFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Failed" || phase === "Succeeded";
}
