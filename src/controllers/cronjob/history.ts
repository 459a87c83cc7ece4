import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import { finishedType } from "../job/conditions.js";
import { parseTime } from "../job/time.js";

/**
 * The finished Jobs beyond successfulJobsHistoryLimit and
 * failedJobsHistoryLimit, oldest start first: the ones to delete. A limit
 * that is not set keeps every Job of its kind.
 */
export function jobsBeyondHistory(cronJob: CronJob, jobs: readonly Job[]): Job[] {
  const succeeded = jobs.filter((j) => finishedType(j) === "Complete");
  const failed = jobs.filter((j) => finishedType(j) === "Failed");
  return [
    ...oldest(succeeded, cronJob.spec?.successfulJobsHistoryLimit),
    ...oldest(failed, cronJob.spec?.failedJobsHistoryLimit),
  ];
}

function oldest(jobs: readonly Job[], limit: number | undefined): Job[] {
  if (limit === undefined || limit === null) return [];
  const excess = jobs.length - limit;
  if (excess <= 0) return [];
  return [...jobs].sort(byStartTime).slice(0, excess);
}

/** Earlier start first; Jobs never started last; ties by name. */
export function byStartTime(a: Job, b: Job): number {
  const ta = parseTime(a.status?.startTime);
  const tb = parseTime(b.status?.startTime);
  if (ta === undefined && tb !== undefined) return 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === tb || ta === undefined || tb === undefined) {
    const na = a.metadata?.name ?? "";
    const nb = b.metadata?.name ?? "";
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  return ta - tb;
}
