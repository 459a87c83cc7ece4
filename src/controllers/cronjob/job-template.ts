import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import { newControllerRef } from "../common/controller-ref.js";
import {
  CRON_JOB_API_VERSION,
  CRON_JOB_KIND,
  SCHEDULED_TIMESTAMP_ANNOTATION,
} from "./constants.js";
import { rfc3339InZone } from "./zone.js";

/**
 * `<cronjob>-<minutes since the epoch>`: deterministic per start time, so
 * a second attempt at the same start collides with the first instead of
 * running the Job twice.
 */
export function jobName(cronJobName: string, scheduled: number): string {
  return `${cronJobName}-${Math.floor(scheduled / 60_000)}`;
}

/**
 * The Job for one start time: the CronJob's job template, named for the
 * start, controlled by the CronJob, annotated with the start time in the
 * CronJob's time zone (UTC when it names none, as upstream).
 */
export function jobFromTemplate(cronJob: CronJob, scheduled: number): Job {
  const template = cronJob.spec?.jobTemplate ?? {};
  const meta = template.metadata ?? {};
  const zone = cronJob.spec?.timeZone || "UTC";
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName(cronJob.metadata?.name ?? "", scheduled),
      namespace: cronJob.metadata?.namespace ?? "",
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      annotations: {
        ...(meta.annotations ?? {}),
        [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduled, zone),
      },
      ownerReferences: [
        newControllerRef(cronJob, { apiVersion: CRON_JOB_API_VERSION, kind: CRON_JOB_KIND }),
      ],
    },
    spec: structuredClone(template.spec ?? { template: {} }),
  };
}
