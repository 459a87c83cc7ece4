import type { Job, JobCondition } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { isPodActive, isPodReady } from "../common/pod-state.js";
import { type BackoffRecord, nextBackoffRecord } from "./backoff.js";
import { findCondition, newCondition } from "./conditions.js";
import { CONDITION, MESSAGE, REASON } from "./constants.js";
import { countIndexes, type IndexSet, parseIndexes, withIndexes } from "./indexes.js";
import {
  hasTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  isPodTerminating,
  isSuspended,
  restartsOfActivePods,
  validIndex,
} from "./job-pods.js";
import { parseTime, rfc3339 } from "./time.js";

/** What a sync knows about a Job before it acts: counts, and whether it is done. */
export interface JobAssessment {
  readonly activePods: Pod[];
  readonly ready: number;
  readonly terminating: number;
  /** Finished pods still holding the finalizer and not yet in uncountedTerminatedPods. */
  readonly newSucceeded: Pod[];
  readonly newFailed: Pod[];
  /** Counted + uncounted + newly finished. */
  readonly succeeded: number;
  readonly failed: number;
  readonly startTime: string | undefined;
  readonly backoff: BackoffRecord;
  /**
   * Why the Job is over, if it is: an interim FailureTarget or
   * SuccessCriteriaMet to record first, or the final Failed carried over
   * from a FailureTarget recorded earlier.
   */
  readonly finished: JobCondition | undefined;
  /** activeDeadlineSeconds not yet reached: look again after this long. */
  readonly deadlineInMs: number | undefined;
  /** Indexed Jobs: indexes in status.completedIndexes, and those plus newly succeeded ones. */
  readonly prevSucceededIndexes: IndexSet;
  readonly succeededIndexes: IndexSet;
}

export interface UncountedSets {
  readonly succeeded: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
}

export function uncountedOf(job: Job): UncountedSets {
  const u = job.status?.uncountedTerminatedPods;
  return { succeeded: new Set(u?.succeeded ?? []), failed: new Set(u?.failed ?? []) };
}

/**
 * Counts a Job's pods and decides whether it has failed (backoff limit,
 * deadline) or had already met a terminal target (upstream's first half
 * of syncJob). Pure: the caller does the deleting and status writing.
 */
export function assessJob(opts: {
  job: Job;
  pods: readonly Pod[];
  /** Pods whose finalizer removal is in flight: already counted, not yet seen without it. */
  expectedRemovals: ReadonlySet<string>;
  backoff: BackoffRecord;
  now: number;
}): JobAssessment {
  const { job, pods, now } = opts;
  const status = job.status ?? {};
  const uncounted = uncountedOf(job);
  const completions = job.spec?.completions ?? 0;
  const indexed = isIndexedJob(job);
  const fresh = (pod: Pod, already: ReadonlySet<string>): boolean => {
    const uid = pod.metadata?.uid ?? "";
    if (!hasTrackingFinalizer(pod) || already.has(uid) || opts.expectedRemovals.has(uid))
      return false;
    return !indexed || validIndex(pod, completions) !== undefined;
  };
  const newSucceeded = pods.filter(
    (p) => p.status?.phase === "Succeeded" && fresh(p, uncounted.succeeded),
  );
  const newFailed = pods.filter((p) => isPodFailed(p, job) && fresh(p, uncounted.failed));
  const activePods = pods.filter(isPodActive);

  let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
  const failed = (status.failed ?? 0) + newFailed.length + uncounted.failed.size;
  const suspended = isSuspended(job);
  const startTime = status.startTime ?? (suspended ? undefined : rfc3339(now));

  let finished: JobCondition | undefined;
  let deadlineInMs: number | undefined;
  const successMet = findCondition(status.conditions, CONDITION.successCriteriaMet);
  const failureTarget = findCondition(status.conditions, CONDITION.failureTarget);
  if (successMet?.status === "True") {
    finished = successMet;
  } else if (failureTarget?.status === "True") {
    finished = newCondition(CONDITION.failed, {
      ...(failureTarget.reason ? { reason: failureTarget.reason } : {}),
      ...(failureTarget.message ? { message: failureTarget.message } : {}),
      now,
    });
  } else if (failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
    finished = newCondition(CONDITION.failureTarget, {
      reason: REASON.backoffLimitExceeded,
      message: MESSAGE.backoffLimitExceeded,
      now,
    });
  } else {
    const deadline = job.spec?.activeDeadlineSeconds;
    const started = parseTime(startTime);
    if (deadline !== undefined && started !== undefined && !suspended) {
      const left = started + deadline * 1000 - now;
      if (left <= 0) {
        finished = newCondition(CONDITION.failureTarget, {
          reason: REASON.deadlineExceeded,
          message: MESSAGE.deadlineExceeded,
          now,
        });
      } else {
        deadlineInMs = left;
      }
    }
  }

  let prevSucceededIndexes: IndexSet = [];
  let succeededIndexes: IndexSet = [];
  if (indexed) {
    prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    const newIndexes = pods
      .filter((p) => p.status?.phase === "Succeeded" && hasTrackingFinalizer(p))
      .map((p) => validIndex(p, completions))
      .filter((ix): ix is number => ix !== undefined);
    succeededIndexes = withIndexes(prevSucceededIndexes, newIndexes);
    succeeded = countIndexes(succeededIndexes);
  }

  return {
    activePods,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    newSucceeded,
    newFailed,
    succeeded,
    failed,
    startTime,
    backoff: nextBackoffRecord(opts.backoff, { succeeded: newSucceeded, failed: newFailed }),
    finished,
    deadlineInMs,
    prevSucceededIndexes,
    succeededIndexes,
  };
}

/**
 * restartPolicy OnFailure: the kubelet restarts containers in place, so
 * the backoff limit applies to restarts (0 means the first restart fails it).
 */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== "OnFailure") return false;
  const restarts = restartsOfActivePods(pods);
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
