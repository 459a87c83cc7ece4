import type { Job } from "kubernetes-types/batch/v1.js";
import type { Container, Pod, PodTemplateSpec } from "kubernetes-types/core/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { podFromTemplate, podPrefix } from "../common/pod-template.js";
import {
  COMPLETION_INDEX_ANNOTATION,
  COMPLETION_INDEX_ENV,
  COMPLETION_INDEX_LABEL,
  TRACKING_FINALIZER,
} from "./constants.js";

/** Longest generateName prefix: a name label is 63 characters, the server appends 5. */
const MAX_GENERATE_NAME = 58;

/**
 * A pod for the Job: its template plus the tracking finalizer and, for
 * Indexed Jobs, the completion index as annotation, label, hostname
 * (`<job>-<index>`), name prefix and the JOB_COMPLETION_INDEX variable.
 */
export function newJobPod(
  job: Job,
  opts: { controllerRef: OwnerReference; index?: number | undefined },
): Pod {
  const name = job.metadata?.name ?? "";
  const template: PodTemplateSpec = structuredClone(job.spec?.template ?? {});
  const meta = { ...(template.metadata ?? {}) };
  meta.finalizers = [
    ...(meta.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER),
    TRACKING_FINALIZER,
  ];
  let generateName = podPrefix(name);
  if (job.spec?.completionMode === "Indexed") {
    const spec = template.spec ?? { containers: [] };
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
    template.spec = spec;
  }
  if (opts.index !== undefined) {
    const ix = String(opts.index);
    meta.annotations = { ...(meta.annotations ?? {}), [COMPLETION_INDEX_ANNOTATION]: ix };
    meta.labels = { ...(meta.labels ?? {}), [COMPLETION_INDEX_LABEL]: ix };
    template.spec = { ...(template.spec ?? { containers: [] }), hostname: `${name}-${ix}` };
    generateName = indexedPrefix(name, opts.index);
  }
  template.metadata = meta;
  return podFromTemplate(template, {
    namespace: job.metadata?.namespace ?? "",
    controllerRef: opts.controllerRef,
    generateName,
  });
}

/** `<job>-<index>-`, the job name cut so the prefix stays within bounds. */
export function indexedPrefix(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATE_NAME
    ? `${jobName.slice(0, MAX_GENERATE_NAME - suffix.length)}${suffix}`
    : prefix;
}

/** JOB_COMPLETION_INDEX from the pod's own annotation, unless the container sets it already. */
function withIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === COMPLETION_INDEX_ENV)) return c;
  return {
    ...c,
    env: [
      ...(c.env ?? []),
      {
        name: COMPLETION_INDEX_ENV,
        valueFrom: {
          fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` },
        },
      },
    ],
  };
}
