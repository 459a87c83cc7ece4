/** batch/v1 Jobs and CronJobs. */
import type { CronJob, Job, JobCondition } from "kubernetes-types/batch/v1.js";
import type { KubeObject } from "../strategy.js";
import { humanDuration, parseTime, since } from "./duration.js";
import {
  AGE_COLUMN,
  boolPtr,
  CONTAINERS_COLUMN,
  column,
  containerCells,
  formatLabelSelector,
  IMAGES_COLUMN,
  NAME_COLUMN,
  nameOf,
  view,
  wide,
} from "./format.js";
import type { TablePrinter } from "./types.js";

const SELECTOR_COLUMN = wide("Selector", "Label selector matching the job's pods.");

function hasCondition(conditions: readonly JobCondition[], type: string): boolean {
  const found = conditions.find((c) => c.type === type);
  return found?.status === "True";
}

/** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in that precedence. */
function jobStatus(job: Job, obj: KubeObject): string {
  const conditions = job.status?.conditions ?? [];
  if (hasCondition(conditions, "Complete")) return "Complete";
  if (hasCondition(conditions, "Failed")) return "Failed";
  if (obj.metadata?.deletionTimestamp) return "Terminating";
  if (hasCondition(conditions, "Suspended")) return "Suspended";
  if (hasCondition(conditions, "FailureTarget")) return "FailureTarget";
  return "Running";
}

/** `succeeded/completions`, or for work-queue jobs `n/1` (`n/1 of P` when parallel). */
function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const wanted = job.spec?.completions;
  if (wanted !== undefined && wanted !== null) return `${succeeded}/${wanted}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Start to completion, or start to now while running; "" before the job starts. */
function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return "";
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", { description: "Overall state of the job, from its conditions." }),
    column("Completions", { description: "Succeeded pods out of the completions wanted." }),
    column("Duration", { description: "How long the job ran, or has been running." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  row(obj, now) {
    const job = view<Job>(obj);
    const { names, images } = containerCells(job.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      jobStatus(job, obj),
      completions(job),
      jobDuration(job, now),
      since(obj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Schedule", { description: "Cron schedule the jobs are started on." }),
    column("Timezone", { description: "Time zone the schedule is read in." }),
    column("Suspend", { type: "boolean", description: "Whether new runs are held back." }),
    column("Active", { type: "integer", description: "Jobs of this cron job currently running." }),
    column("Last Schedule", { description: "Time since a job was last scheduled." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  row(obj, now) {
    const cj = view<CronJob>(obj);
    const template = cj.spec?.jobTemplate?.spec;
    const { names, images } = containerCells(template?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      nameOf(obj),
      cj.spec?.schedule ?? "",
      cj.spec?.timeZone ?? "<none>",
      boolPtr(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      last ? since(last, now) : "<none>",
      since(obj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(template?.selector),
    ];
  },
};
