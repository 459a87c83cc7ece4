import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { podCondition } from "../common/pod-state.js";
import { COMPLETION_INDEX_ANNOTATION, TRACKING_FINALIZER } from "./constants.js";
import { parseTime } from "./time.js";

/** What the Job controller reads off its pods; all pure. */

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(TRACKING_FINALIZER) ?? false;
}

/** The pod's completion index (Indexed Jobs), or undefined when absent or malformed. */
export function completionIndex(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A valid index of this Job: present and below spec.completions. */
export function validIndex(pod: Pod, completions: number): number | undefined {
  const ix = completionIndex(pod);
  return ix !== undefined && ix < completions ? ix : undefined;
}

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === "Indexed";
}

export function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** podReplacementPolicy Failed: a terminating pod is replaced only once it has failed. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === "Failed";
}

/**
 * Failed for the Job's accounting. A pod deleted before it finished counts
 * as failed too (unless replacements wait for Failed), so an orphan that
 * never reaches the Failed phase is not lost.
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  const phase = pod.status?.phase;
  if (phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata?.deletionTimestamp !== undefined && phase !== "Succeeded";
}

/** Being deleted but not yet finished: status.terminating. */
export function isPodTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return (
    pod.metadata?.deletionTimestamp !== undefined && phase !== "Succeeded" && phase !== "Failed"
  );
}

/**
 * When the pod finished, for the failure backoff: its containers' latest
 * finish, else when it stopped being Ready, else its deletion, else its
 * creation (only a pod no kubelet ever reported on gets that far).
 */
export function podFinishedAt(pod: Pod): number {
  let latest: number | undefined;
  for (const s of pod.status?.containerStatuses ?? []) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = podCondition(pod, "Ready");
  if (ready?.status === "False") {
    const t = parseTime(ready.lastTransitionTime);
    if (t !== undefined) return t;
  }
  return (
    parseTime(pod.metadata?.deletionTimestamp) ?? parseTime(pod.metadata?.creationTimestamp) ?? 0
  );
}

/**
 * Container restarts of the Job's running and pending pods: with
 * restartPolicy OnFailure the kubelet retries in place, so restarts are
 * the failures the backoff limit counts.
 */
export function restartsOfActivePods(pods: readonly Pod[]): number {
  let total = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== "Running" && phase !== "Pending") continue;
    for (const s of pod.status?.initContainerStatuses ?? []) total += s.restartCount;
    for (const s of pod.status?.containerStatuses ?? []) total += s.restartCount;
  }
  return total;
}
