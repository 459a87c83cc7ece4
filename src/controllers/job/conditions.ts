import type { Job, JobCondition } from "kubernetes-types/batch/v1.js";
import { CONDITION } from "./constants.js";
import { rfc3339 } from "./time.js";

export function newCondition(
  type: string,
  opts: { status?: "True" | "False"; reason?: string; message?: string; now: number },
): JobCondition {
  const at = rfc3339(opts.now);
  return {
    type,
    status: opts.status ?? "True",
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(opts.message ? { message: opts.message } : {}),
    lastProbeTime: at,
    lastTransitionTime: at,
  };
}

export function findCondition(
  conditions: readonly JobCondition[] | undefined,
  type: string,
): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** "Complete" or "Failed" when the Job has that condition True (upstream's IsJobFinished). */
export function finishedType(job: Job): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === CONDITION.complete) return "Complete";
    if (c.type === CONDITION.failed) return "Failed";
  }
  return undefined;
}

export function isJobFinished(job: Job): boolean {
  return finishedType(job) !== undefined;
}

/** When the Job finished: its Complete or Failed condition's transition time. */
export function finishedAt(job: Job): string | undefined {
  const type = finishedType(job);
  return type ? findCondition(job.status?.conditions, type)?.lastTransitionTime : undefined;
}

/**
 * Sets a condition to `cond`'s status, reason and message, returning the
 * new list and whether it changed. A missing condition is only added when
 * it is not False: going from nothing to False says nothing.
 */
export function ensureCondition(
  conditions: readonly JobCondition[],
  cond: JobCondition,
): { conditions: JobCondition[]; changed: boolean } {
  const i = conditions.findIndex((c) => c.type === cond.type);
  const existing = conditions[i];
  if (existing) {
    if (
      existing.status === cond.status &&
      existing.reason === cond.reason &&
      existing.message === cond.message
    )
      return { conditions: [...conditions], changed: false };
    const next = [...conditions];
    next[i] = cond;
    return { conditions: next, changed: true };
  }
  if (cond.status === "False") return { conditions: [...conditions], changed: false };
  return { conditions: [...conditions, cond], changed: true };
}
