/**
 * How long graceful pod termination may still keep a namespace's pods
 * (upstream's estimateGracefulTermination): the longest grace period of
 * a pod still running, unless that much time has passed since the
 * namespace was deleted. Pure.
 */
import type { Pod } from "kubernetes-types/core/v1.js";

/** Seconds to wait before pods are expected gone; 0 when no wait is expected. */
export function podTerminationEstimate(
  pods: readonly Pod[],
  opts: { namespaceDeletedAt: number; now: number },
): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    const grace = pod.spec?.terminationGracePeriodSeconds;
    if (grace !== undefined && grace > estimate) estimate = grace;
  }
  return opts.now - opts.namespaceDeletedAt >= estimate * 1000 ? 0 : estimate;
}

/** Upstream's wait before looking again: half the estimate, plus a second. */
export function requeueDelayMs(estimateSeconds: number): number {
  return (Math.floor(estimateSeconds / 2) + 1) * 1000;
}
