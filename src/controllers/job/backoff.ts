import type { Pod } from "kubernetes-types/core/v1.js";
import { DEFAULT_BACKOFF_MS, MAX_BACKOFF_MS } from "./constants.js";
import { podFinishedAt } from "./job-pods.js";

/**
 * What the failure backoff remembers of a Job: failures since its last
 * success and when the latest happened. Kept in memory only (as upstream):
 * a restarted controller forgets it and retries at once.
 */
export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTime?: number;
}

export const NO_BACKOFF: BackoffRecord = { failuresAfterLastSuccess: 0 };

/**
 * The record after this sync's newly finished pods: a success resets the
 * count, and only failures that finished after the latest success count.
 */
export function nextBackoffRecord(
  prev: BackoffRecord,
  finished: { succeeded: readonly Pod[]; failed: readonly Pod[] },
): BackoffRecord {
  const failedTimes = finished.failed.map(podFinishedAt).sort((a, b) => a - b);
  if (finished.succeeded.length === 0) {
    if (failedTimes.length === 0) return prev;
    return {
      failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length,
      lastFailureTime: failedTimes[failedTimes.length - 1] as number,
    };
  }
  const lastSuccess = Math.max(...finished.succeeded.map(podFinishedAt));
  const after = failedTimes.filter((t) => t > lastSuccess);
  if (after.length === 0) return NO_BACKOFF;
  return {
    failuresAfterLastSuccess: after.length,
    lastFailureTime: after[after.length - 1] as number,
  };
}

/**
 * How long before the next pod may be created: base·2^(n-1) after n
 * failures, capped, counted from the last failure. 0 when it may be now.
 */
export function remainingBackoff(
  record: BackoffRecord,
  opts: { now: number; baseMs?: number; maxMs?: number },
): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  const max = opts.maxMs ?? MAX_BACKOFF_MS;
  let delay = opts.baseMs ?? DEFAULT_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess && delay < max; i++) delay *= 2;
  delay = Math.min(delay, max);
  const elapsed = opts.now - record.lastFailureTime;
  return elapsed >= delay ? 0 : delay - elapsed;
}
