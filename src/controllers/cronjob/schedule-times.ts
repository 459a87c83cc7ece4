import { parseTime } from "../job/time.js";
import { ScheduleError } from "./cron-spec.js";
import type { Schedule } from "./schedule.js";

/** Upstream's threshold: more missed start times than this is reported as a likely clock problem. */
export const TOO_MANY_MISSED = 100;

/** Added to the wait for the next start, so the start has surely passed when we look. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export type Missed = "none" | "few" | "many";

/** What the schedule math reads from a CronJob. */
export interface ScheduleState {
  readonly creationTimestamp?: string | undefined;
  readonly lastScheduleTime?: string | undefined;
  readonly startingDeadlineSeconds?: number | undefined;
}

export interface RecentSchedule {
  /** Where the search started: the last schedule time, else creation (else the deadline window). */
  readonly earliest: number;
  /** The latest start time at or before now that is due, if any. */
  readonly mostRecent: number | undefined;
  readonly missed: Missed;
}

/**
 * The most recent start time between the last one acted on (or the
 * CronJob's creation) and now (upstream's mostRecentScheduleTime). Only
 * the latest missed time matters: a CronJob catches up at most once.
 * Counting the misses one by one could take forever after a clock jump,
 * so their number is estimated from the interval between two starts.
 */
export function mostRecentScheduleTime(
  state: ScheduleState,
  opts: { schedule: Schedule; now: number; withStartingDeadline: boolean },
): RecentSchedule {
  const { schedule, now } = opts;
  let earliest = parseTime(state.lastScheduleTime) ?? parseTime(state.creationTimestamp) ?? now;
  const deadline = state.startingDeadlineSeconds;
  if (opts.withStartingDeadline && deadline !== undefined && deadline !== null) {
    // Nothing older than the deadline window may start any more.
    earliest = Math.max(earliest, now - deadline * 1000);
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 === undefined || t2 === undefined)
    throw new ScheduleError("time difference between two schedules is less than 1 second");
  if (now < t1) return { earliest, mostRecent: undefined, missed: "none" };
  if (now < t2) return { earliest, mostRecent: t1, missed: "none" };

  const interval = Math.round((t2 - t1) / 1000);
  if (interval < 1)
    throw new ScheduleError("time difference between two schedules is less than 1 second");
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.trunc(elapsed / interval) + 1;
  // Start one interval before the estimate so irregular schedules
  // ("30 6-16/4 * * 1-5") still land on a real start time.
  const from = t1 + (missedCount - 2) * interval * 1000;
  let mostRecent: number | undefined;
  for (let t = schedule.next(from); t !== undefined && t <= now; t = schedule.next(t))
    mostRecent = t;
  return { earliest, mostRecent, missed: missedCount > TOO_MANY_MISSED ? "many" : "few" };
}

/**
 * The start time to act on now, honouring startingDeadlineSeconds, and
 * whether so many were missed that it deserves a warning.
 */
export function nextScheduleTime(
  state: ScheduleState,
  opts: { schedule: Schedule; now: number },
): { scheduled: number | undefined; tooManyMissed: boolean } {
  const r = mostRecentScheduleTime(state, { ...opts, withStartingDeadline: true });
  if (r.mostRecent === undefined || r.mostRecent > opts.now)
    return { scheduled: undefined, tooManyMissed: false };
  return { scheduled: r.mostRecent, tooManyMissed: r.missed === "many" };
}

/** How long until the next start after the ones already due, plus a little slack. */
export function nextScheduleDelay(
  state: ScheduleState,
  opts: { schedule: Schedule; now: number },
): number | undefined {
  let base: number;
  try {
    const r = mostRecentScheduleTime(state, { ...opts, withStartingDeadline: false });
    base = r.mostRecent ?? (r.missed === "none" ? r.earliest : opts.now);
  } catch {
    // Still look again at some point: aim for the next start from now.
    base = opts.now;
  }
  const next = opts.schedule.next(base);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - opts.now;
}
