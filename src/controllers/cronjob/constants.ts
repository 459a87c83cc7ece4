export const CRON_JOB_API_VERSION = "batch/v1";
export const CRON_JOB_KIND = "CronJob";
export const CRON_JOB_COMPONENT = "cronjob-controller";

/** On each Job a CronJob creates: the start time it stands for, RFC 3339 in the CronJob's zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
