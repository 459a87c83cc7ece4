import type { CronJob, CronJobSpec, CronJobStatus, Job } from "kubernetes-types/batch/v1.js";

export function makeCronJob(spec: Partial<CronJobSpec> = {}, status: CronJobStatus = {}): CronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: {
      name: "tick",
      namespace: "default",
      uid: "cj-uid",
      creationTimestamp: "2024-05-01T10:00:30Z",
    },
    spec: {
      schedule: "*/1 * * * *",
      timeZone: "UTC",
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: "tick" } },
        spec: {
          template: {
            spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
          },
        },
      },
      ...spec,
    },
    status,
  };
}

export function makeJob(
  name: string,
  opts: { finished?: "Complete" | "Failed"; start?: string; completion?: string } = {},
): Job {
  return {
    metadata: {
      name,
      namespace: "default",
      uid: `${name}-uid`,
      ownerReferences: [
        { apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: "cj-uid", controller: true },
      ],
    },
    spec: { template: {} },
    status: {
      ...(opts.start ? { startTime: opts.start } : {}),
      ...(opts.completion ? { completionTime: opts.completion } : {}),
      ...(opts.finished ? { conditions: [{ type: opts.finished, status: "True" }] } : {}),
    },
  };
}
