import type { Job } from "kubernetes-types/batch/v1.js";
import { finishedAt } from "../job/conditions.js";
import { parseTime } from "../job/time.js";

/**
 * When a finished Job with ttlSecondsAfterFinished may be deleted (ms
 * since the epoch), or undefined when it is not subject to clean-up
 * (no TTL, not finished, or the finish time is unknown).
 */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return undefined;
  const finished = parseTime(finishedAt(job));
  return finished === undefined ? undefined : finished + ttl * 1000;
}
