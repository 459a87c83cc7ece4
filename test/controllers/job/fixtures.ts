import type { Job, JobSpec, JobStatus } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  COMPLETION_INDEX_ANNOTATION,
  TRACKING_FINALIZER,
} from "../../../src/controllers/job/constants.js";

export const T0 = Date.parse("2024-05-01T12:00:00Z");

export function makeJob(
  spec: Partial<JobSpec> = {},
  opts: { status?: JobStatus; name?: string } = {},
): Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: opts.name ?? "pi",
      namespace: "default",
      uid: "job-uid",
      resourceVersion: "1",
    },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "job-uid" } },
      template: {
        metadata: { labels: { "batch.kubernetes.io/controller-uid": "job-uid" } },
        spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
      },
      ...spec,
    },
    ...(opts.status ? { status: opts.status } : {}),
  };
}

let seq = 0;

export function makePod(opts: {
  phase?: "Pending" | "Running" | "Succeeded" | "Failed";
  uid?: string;
  finalizer?: boolean;
  index?: number;
  ready?: boolean;
  deleting?: boolean;
  finishedAt?: number;
  restarts?: number;
  created?: number;
}): Pod {
  const n = ++seq;
  const at = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
  return {
    metadata: {
      name: `pi-${n}`,
      namespace: "default",
      uid: opts.uid ?? `pod-${n}`,
      creationTimestamp: at(opts.created ?? T0),
      labels: { "batch.kubernetes.io/controller-uid": "job-uid" },
      ...(opts.finalizer === false ? {} : { finalizers: [TRACKING_FINALIZER] }),
      ...(opts.index !== undefined
        ? { annotations: { [COMPLETION_INDEX_ANNOTATION]: String(opts.index) } }
        : {}),
      ...(opts.deleting ? { deletionTimestamp: at(T0) } : {}),
      ownerReferences: [
        { apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "job-uid", controller: true },
      ],
    },
    spec: { containers: [{ name: "c", image: "busybox" }] },
    status: {
      phase: opts.phase ?? "Running",
      conditions: [{ type: "Ready", status: opts.ready ? "True" : "False" }],
      containerStatuses: [
        {
          name: "c",
          image: "busybox",
          imageID: "",
          ready: opts.ready ?? false,
          restartCount: opts.restarts ?? 0,
          ...(opts.finishedAt !== undefined
            ? {
                state: {
                  terminated: {
                    exitCode: opts.phase === "Failed" ? 1 : 0,
                    finishedAt: at(opts.finishedAt),
                  },
                },
              }
            : {}),
        },
      ],
    },
  };
}
