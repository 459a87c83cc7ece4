import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import type { ObjectReference } from "kubernetes-types/core/v1.js";
import { finishedType } from "../job/conditions.js";
import { parseTime } from "../job/time.js";

/** What the CronJob's Jobs say about its status.active and lastSuccessfulTime. */
export interface ActiveReview {
  readonly active: ObjectReference[];
  readonly lastSuccessfulTime: string | undefined;
  readonly changed: boolean;
  /** Unfinished Jobs the CronJob controls that status.active does not list. */
  readonly unlisted: Job[];
  /** Listed Jobs that have finished, with how. */
  readonly completed: { job: Job; condition: "Complete" | "Failed" }[];
  /** Listed references with no Job among ours: gone, or not yet in the cache. */
  readonly missing: ObjectReference[];
}

/**
 * Reconciles status.active with the Jobs the CronJob controls: finished
 * Jobs leave the list, and the newest completion time of a succeeded Job
 * becomes lastSuccessfulTime.
 */
export function reviewJobs(cronJob: CronJob, jobs: readonly Job[]): ActiveReview {
  const status = cronJob.status ?? {};
  let active = [...(status.active ?? [])];
  let lastSuccessfulTime = status.lastSuccessfulTime;
  let changed = false;
  const unlisted: Job[] = [];
  const completed: { job: Job; condition: "Complete" | "Failed" }[] = [];
  const listed = (uid: string | undefined) => active.some((r) => r.uid === uid);
  for (const job of jobs) {
    const uid = job.metadata?.uid;
    const finished = finishedType(job);
    if (!finished) {
      if (!listed(uid)) unlisted.push(job);
      continue;
    }
    if (listed(uid)) {
      active = active.filter((r) => r.uid !== uid);
      completed.push({ job, condition: finished });
      changed = true;
    }
    const doneAt = job.status?.completionTime;
    if (finished === "Complete" && doneAt && succeededLater(doneAt, lastSuccessfulTime)) {
      lastSuccessfulTime = doneAt;
      changed = true;
    }
  }
  const ours = new Set(jobs.map((j) => j.metadata?.uid));
  const missing = active.filter((r) => !ours.has(r.uid));
  return { active, lastSuccessfulTime, changed, unlisted, completed, missing };
}

function succeededLater(doneAt: string, last: string | undefined): boolean {
  const a = parseTime(doneAt);
  const b = parseTime(last);
  return a !== undefined && (b === undefined || a > b);
}

/** An object reference to a Job for status.active. */
export function jobReference(job: Job): ObjectReference {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    name: job.metadata?.name ?? "",
    namespace: job.metadata?.namespace ?? "",
    uid: job.metadata?.uid ?? "",
    ...(job.metadata?.resourceVersion ? { resourceVersion: job.metadata.resourceVersion } : {}),
  };
}
