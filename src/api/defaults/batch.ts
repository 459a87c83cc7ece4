/** batch/v1 defaults (SetDefaults_Job, _CronJob) and the Job selector the registry generates. */
import {
  child,
  isObj,
  type Obj,
  obj,
  objList,
  setDefault,
  setDefaultString,
  str,
} from "../validation/shape.js";
import { defaultPodTemplateSpec } from "./pod.js";

const MAX_INT32 = 2147483647;

/** SetDefaults_Job on a job spec (also used for CronJob job templates). */
export function defaultJobSpec(spec: Obj): void {
  const unset = (k: string) => spec[k] === undefined || spec[k] === null;
  if (unset("completions") && unset("parallelism")) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, "parallelism", 1);
  if (unset("backoffLimit")) spec.backoffLimit = unset("backoffLimitPerIndex") ? 6 : MAX_INT32;
  setDefaultString(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  if (unset("podReplacementPolicy")) {
    spec.podReplacementPolicy = isObj(spec.podFailurePolicy) ? "Failed" : "TerminatingOrFailed";
  }
  if (isObj(spec.podFailurePolicy)) {
    for (const rule of objList(spec.podFailurePolicy.rules)) {
      for (const c of objList(rule.onPodConditions)) setDefaultString(c, "status", "True");
    }
  }
  defaultPodTemplateSpec(spec.template);
}

/**
 * The selector the Job registry generates for a job without
 * manualSelector: the job's uid and name as labels on the template, and a
 * selector on the uid. Needs metadata.uid, so run after it is assigned.
 */
function generateJobSelector(job: Obj, spec: Obj): void {
  const meta = obj(job.metadata);
  const uid = str(meta.uid);
  if (spec.manualSelector === true || uid === "") return;
  const template = child(spec, "template");
  const labels = child(child(template, "metadata"), "labels");
  const name = str(meta.name);
  setDefaultString(labels, "batch.kubernetes.io/controller-uid", uid);
  setDefaultString(labels, "batch.kubernetes.io/job-name", name);
  setDefaultString(labels, "controller-uid", uid);
  setDefaultString(labels, "job-name", name);
  if (!isObj(spec.selector))
    spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
}

export function defaultJob(job: Obj): void {
  const spec = child(job, "spec");
  generateJobSelector(job, spec);
  defaultJobSpec(spec);
  const meta = child(job, "metadata");
  const templateLabels = obj(obj(obj(spec.template).metadata).labels);
  if (!isObj(meta.labels) || Object.keys(meta.labels).length === 0) {
    if (isObj(obj(obj(spec.template).metadata).labels)) meta.labels = { ...templateLabels };
  }
}

export function defaultCronJob(cj: Obj): void {
  const spec = child(cj, "spec");
  setDefaultString(spec, "concurrencyPolicy", "Allow");
  setDefault(spec, "suspend", false);
  setDefault(spec, "successfulJobsHistoryLimit", 3);
  setDefault(spec, "failedJobsHistoryLimit", 1);
  defaultJobSpec(child(child(spec, "jobTemplate"), "spec"));
}
