import type { Job, JobCondition, JobStatus } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { ensureCondition, findCondition, newCondition } from "./conditions.js";
import { CONDITION, MAX_UNCOUNTED_PODS } from "./constants.js";
import { countIndexes, formatIndexes, hasIndex, type IndexSet, withIndexes } from "./indexes.js";
import {
  completionIndex,
  hasTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  validIndex,
} from "./job-pods.js";

/**
 * Counting finished pods without losing or repeating one, in three steps
 * (upstream's trackJobStatusAndRemoveFinalizers):
 *   1. write the UIDs of newly finished pods to status.uncountedTerminatedPods
 *      (Indexed Jobs record succeeded indexes in completedIndexes instead);
 *   2. remove those pods' tracking finalizer;
 *   3. move UIDs whose pod no longer has the finalizer from the uncounted
 *      lists to the succeeded/failed counters.
 * A crash between steps repeats the step, never the count: a pod without
 * the finalizer is never added again, and a UID leaves the uncounted list
 * exactly once. This module plans steps 1 and 3; the controller does I/O.
 */
export interface TrackingPlan {
  /** The status to write before removing finalizers (step 1). */
  readonly status: JobStatus;
  readonly needsFlush: boolean;
  readonly podsToRemoveFinalizer: readonly Pod[];
  /** Pods that (as far as we know) still carry the finalizer. */
  readonly uidsWithFinalizer: Set<string>;
  /** Stopped at MAX_UNCOUNTED_PODS: the Job cannot be declared finished in this sync. */
  readonly reachedMax: boolean;
  /** The terminal condition to set once nothing is left uncounted. */
  readonly finished: JobCondition | undefined;
}

export function planTracking(opts: {
  job: Job;
  pods: readonly Pod[];
  expectedRemovals: ReadonlySet<string>;
  finished: JobCondition | undefined;
  prevSucceededIndexes: IndexSet;
  succeededIndexes: IndexSet;
  needsFlush: boolean;
  now: number;
}): TrackingPlan {
  const { job } = opts;
  const indexed = isIndexedJob(job);
  const completions = job.spec?.completions ?? 0;
  const uidOf = (p: Pod) => p.metadata?.uid ?? "";
  const uidsWithFinalizer = new Set(
    opts.pods
      .filter((p) => hasTrackingFinalizer(p) && !opts.expectedRemovals.has(uidOf(p)))
      .map(uidOf),
  );
  // Pods whose finalizer went in an earlier sync (that then failed to write) are counted now.
  const cleaned = countRemovedFinalizers(job.status ?? {}, uidsWithFinalizer);
  let status = cleaned.status;
  let needsFlush = opts.needsFlush || cleaned.changed;
  const uncountedSucceeded = [...(status.uncountedTerminatedPods?.succeeded ?? [])];
  const uncountedFailed = [...(status.uncountedTerminatedPods?.failed ?? [])];
  const inSucceeded = new Set(uncountedSucceeded);
  const inFailed = new Set(uncountedFailed);
  const finishedAsFailure =
    opts.finished !== undefined && opts.finished.type !== CONDITION.successCriteriaMet;

  const pods = indexed
    ? [...opts.pods].sort(
        (a, b) =>
          (completionIndex(a) ?? Number.MAX_SAFE_INTEGER) -
          (completionIndex(b) ?? Number.MAX_SAFE_INTEGER),
      )
    : opts.pods;
  const newSucceededIndexes: number[] = [];
  const podsToRemoveFinalizer: Pod[] = [];
  let reachedMax = false;
  for (const pod of pods) {
    const uid = uidOf(pod);
    if (!hasTrackingFinalizer(pod) || opts.expectedRemovals.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    const removable =
      job.metadata?.deletionTimestamp !== undefined ||
      opts.finished !== undefined ||
      pod.status?.phase === "Succeeded" ||
      failed;
    if (!removable) continue;
    podsToRemoveFinalizer.push(pod);
    if (pod.status?.phase === "Succeeded" && !inFailed.has(uid)) {
      if (indexed) {
        // The index itself records the success: no UID needed.
        const ix = validIndex(pod, completions);
        if (ix !== undefined && !hasIndex(opts.prevSucceededIndexes, ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!inSucceeded.has(uid)) {
        uncountedSucceeded.push(uid);
        inSucceeded.add(uid);
        needsFlush = true;
      }
    } else if (failed || finishedAsFailure) {
      // Once the Job has failed, every pod not succeeded counts as failed.
      const countable = !indexed || validIndex(pod, completions) !== undefined;
      if (!inFailed.has(uid) && countable) {
        uncountedFailed.push(uid);
        inFailed.add(uid);
        needsFlush = true;
      }
    }
    if (
      newSucceededIndexes.length + uncountedSucceeded.length + uncountedFailed.length >=
      MAX_UNCOUNTED_PODS
    ) {
      reachedMax = true;
      break;
    }
  }
  status = {
    ...status,
    uncountedTerminatedPods: {
      ...(uncountedSucceeded.length ? { succeeded: uncountedSucceeded } : {}),
      ...(uncountedFailed.length ? { failed: uncountedFailed } : {}),
    },
  };
  if (indexed) {
    const all = withIndexes(opts.succeededIndexes, newSucceededIndexes);
    const text = formatIndexes(all);
    if (text !== (job.status?.completedIndexes ?? "")) needsFlush = true;
    status = { ...status, succeeded: countIndexes(all), completedIndexes: text };
  }

  // Interim conditions go into the same write as the uncounted UIDs, so
  // the reason survives even if this sync dies before the Job is finished.
  let finished = opts.finished;
  if (finished?.type === CONDITION.failureTarget) {
    status = { ...status, conditions: [...(status.conditions ?? []), finished] };
    needsFlush = true;
    finished = newCondition(CONDITION.failed, {
      ...(finished.reason ? { reason: finished.reason } : {}),
      ...(finished.message ? { message: finished.message } : {}),
      now: opts.now,
    });
  } else if (finished?.type === CONDITION.successCriteriaMet) {
    if (!findCondition(status.conditions, CONDITION.successCriteriaMet)) {
      status = { ...status, conditions: [...(status.conditions ?? []), finished] };
      needsFlush = true;
    }
    finished = newCondition(CONDITION.complete, {
      ...(finished.reason ? { reason: finished.reason } : {}),
      ...(finished.message ? { message: finished.message } : {}),
      now: opts.now,
    });
  }
  return { status, needsFlush, podsToRemoveFinalizer, uidsWithFinalizer, reachedMax, finished };
}

/**
 * Step 3: UIDs in the uncounted lists whose pod no longer holds the
 * finalizer (removed, or the pod is gone) move into the counters.
 */
export function countRemovedFinalizers(
  status: JobStatus,
  uidsWithFinalizer: ReadonlySet<string>,
): { status: JobStatus; changed: boolean } {
  const succeeded = status.uncountedTerminatedPods?.succeeded ?? [];
  const failed = status.uncountedTerminatedPods?.failed ?? [];
  const keepSucceeded = succeeded.filter((uid) => uidsWithFinalizer.has(uid));
  const keepFailed = failed.filter((uid) => uidsWithFinalizer.has(uid));
  const changed = keepSucceeded.length !== succeeded.length || keepFailed.length !== failed.length;
  if (!changed) return { status, changed };
  return {
    status: {
      ...status,
      succeeded: (status.succeeded ?? 0) + succeeded.length - keepSucceeded.length,
      failed: (status.failed ?? 0) + failed.length - keepFailed.length,
      uncountedTerminatedPods: {
        ...(keepSucceeded.length ? { succeeded: keepSucceeded } : {}),
        ...(keepFailed.length ? { failed: keepFailed } : {}),
      },
    },
    changed,
  };
}

/**
 * Sets the terminal condition (and completionTime for Complete) once every
 * finished pod is counted and no pod is still terminating; undefined when
 * the Job has to wait.
 */
export function finishStatus(
  status: JobStatus,
  opts: { finished: JobCondition | undefined; terminating: number },
): JobStatus | undefined {
  const { finished } = opts;
  if (!finished) return undefined;
  const u = status.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return undefined;
  if (opts.terminating > 0) return undefined;
  const { conditions } = ensureCondition(status.conditions ?? [], finished);
  return {
    ...status,
    conditions,
    ...(finished.type === CONDITION.complete && finished.lastTransitionTime
      ? { completionTime: finished.lastTransitionTime }
      : {}),
  };
}
