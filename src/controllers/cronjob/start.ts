import type { CronJob } from "kubernetes-types/batch/v1.js";
import { parseTime } from "../job/time.js";
import { jobName } from "./job-template.js";
import { newSchedule, type Schedule } from "./schedule.js";
import { nextScheduleDelay, nextScheduleTime } from "./schedule-times.js";
import { isKnownZone } from "./zone.js";

export interface CronEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

export type StartDecision =
  /** Nothing to start now (suspended, bad spec, not due, too late, Forbid...). */
  | { readonly kind: "none"; readonly requeueMs: number | undefined }
  /** Start the Job for `scheduled`; with `replace`, delete the active Jobs first. */
  | {
      readonly kind: "start";
      readonly scheduled: number;
      readonly replace: boolean;
      readonly schedule: Schedule;
    };

/**
 * Whether a CronJob starts a Job now, and for which start time (the
 * second half of upstream's syncCronJob, pure). `events` collects what the
 * user should be told along the way.
 */
export function decideStart(
  cronJob: CronJob,
  opts: { now: number; events: CronEvent[] },
): StartDecision {
  const { now, events } = opts;
  const spec = cronJob.spec;
  const tz = spec?.timeZone;
  if (tz !== undefined && tz !== null && tz !== "" && !isKnownZone(tz)) {
    events.push({
      type: "Warning",
      reason: "UnknownTimeZone",
      message: `invalid timeZone: ${JSON.stringify(tz)}`,
    });
    return { kind: "none", requeueMs: undefined };
  }
  if (spec?.suspend === true) return { kind: "none", requeueMs: undefined };

  let schedule: Schedule;
  try {
    schedule = newSchedule(spec?.schedule ?? "", { timeZone: tz || undefined });
  } catch (err) {
    // A user error: nothing to do until the spec changes.
    events.push({
      type: "Warning",
      reason: "UnparseableSchedule",
      message: `unparseable schedule: ${JSON.stringify(spec?.schedule ?? "")} : ${errorText(err)}`,
    });
    return { kind: "none", requeueMs: undefined };
  }
  const state = {
    creationTimestamp: cronJob.metadata?.creationTimestamp,
    lastScheduleTime: cronJob.status?.lastScheduleTime,
    startingDeadlineSeconds: spec?.startingDeadlineSeconds,
  };
  const later = () => nextScheduleDelay(state, { schedule, now });
  let due: ReturnType<typeof nextScheduleTime>;
  try {
    due = nextScheduleTime(state, { schedule, now });
  } catch (err) {
    events.push({
      type: "Warning",
      reason: "InvalidSchedule",
      message: `invalid schedule: ${spec?.schedule ?? ""} : ${errorText(err)}`,
    });
    return { kind: "none", requeueMs: undefined };
  }
  if (due.tooManyMissed) {
    events.push({
      type: "Warning",
      reason: "TooManyMissedTimes",
      message:
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
    });
  }
  const scheduled = due.scheduled;
  if (scheduled === undefined) return { kind: "none", requeueMs: later() };

  const deadline = spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
    events.push({
      type: "Warning",
      reason: "MissSchedule",
      message: `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace("GMT", "+0000")}`,
    });
    return { kind: "none", requeueMs: later() };
  }
  const name = jobName(cronJob.metadata?.name ?? "", scheduled);
  const active = cronJob.status?.active ?? [];
  if (
    active.some((r) => r.name === name) ||
    parseTime(cronJob.status?.lastScheduleTime) === scheduled
  ) {
    return { kind: "none", requeueMs: later() };
  }
  const policy = spec?.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && active.length > 0) {
    // The cache may lag, so Forbid is best effort: a rare overlap is possible (as upstream).
    events.push({
      type: "Normal",
      reason: "JobAlreadyActive",
      message:
        "Not starting job because prior execution is running and concurrency policy is Forbid",
    });
    return { kind: "none", requeueMs: later() };
  }
  return { kind: "start", scheduled, replace: policy === "Replace", schedule };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
