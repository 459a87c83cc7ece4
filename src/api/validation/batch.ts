/** batch/v1: Job and CronJob. */
import {
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { cronScheduleError } from "./cron.js";
import { goMapValue } from "./go-value.js";
import { validateImmutable, validateNonnegative } from "./metadata.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { selectorIsEmpty, selectorMatches, selectorOf, validateLabelSelector } from "./selector.js";
import { isObj, num, type Obj, obj, str, strMap } from "./shape.js";

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});

/** The parts of a job spec checked for Jobs and for CronJob job templates alike. */
function validateJobSpecCommon(s: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "ttlSecondsAfterFinished",
  ]) {
    errs.push(...validateNonnegative(s[f], p.child(f)));
  }
  const mode = s.completionMode;
  if (mode !== undefined && mode !== null) {
    const m = str(mode);
    if (m !== "NonIndexed" && m !== "Indexed")
      errs.push(notSupported(p.child("completionMode"), m, ["NonIndexed", "Indexed"]));
    if (m === "Indexed" && num(s.completions) === undefined) {
      errs.push(required(p.child("completions"), "when completion mode is Indexed"));
    }
  }
  const prp = s.podReplacementPolicy;
  if (prp !== undefined && prp !== null) {
    const v = str(prp);
    if (v !== "TerminatingOrFailed" && v !== "Failed") {
      errs.push(
        notSupported(p.child("podReplacementPolicy"), v, ["Failed", "TerminatingOrFailed"]),
      );
    }
    if (isObj(s.podFailurePolicy) && v !== "Failed") {
      errs.push(notSupported(p.child("podReplacementPolicy"), v, ["Failed"]));
    }
  }
  const template = obj(s.template);
  errs.push(...validatePodTemplateSpec(template, p.child("template")));
  const tspec = obj(template.spec);
  const rp = str(tspec.restartPolicy);
  if (isObj(s.podFailurePolicy)) {
    if (rp !== "Never")
      errs.push(notSupported(p.child("template", "spec", "restartPolicy"), rp, ["Never"]));
  } else if (rp !== "OnFailure" && rp !== "Never") {
    errs.push(
      notSupported(p.child("template", "spec", "restartPolicy"), rp, ["OnFailure", "Never"]),
    );
  }
  return errs;
}

export function validateJob(job: KubeObject): FieldError[] {
  const s = spec(job);
  const p = path("spec");
  const errs: FieldError[] = [];
  if (!isObj(s.selector)) errs.push(required(p.child("selector")));
  else errs.push(...validateLabelSelector(s.selector, p.child("selector")));
  const selector = selectorOf(s.selector);
  if (isObj(s.selector) && selector !== undefined && !selectorIsEmpty(selector)) {
    const labels = strMap(obj(obj(s.template).metadata).labels);
    if (!selectorMatches(selector, labels)) {
      const raw = obj(obj(s.template).metadata).labels;
      errs.push(
        invalid(
          p.child("template", "metadata", "labels"),
          goMapValue(isObj(raw) ? labels : undefined),
          "`selector` does not match template `labels`",
        ),
      );
    }
  }
  errs.push(...validateJobSpecCommon(s, p));
  return errs;
}

export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(job);
  const os = spec(old);
  const p = path("spec");
  const elastic = str(s.completionMode) === "Indexed" && num(s.completions) === num(s.parallelism);
  if (!elastic)
    errs.push(...validateImmutable(s.completions, os.completions, p.child("completions")));
  errs.push(...validateImmutable(s.selector, os.selector, p.child("selector")));
  // A suspended job that never started may change scheduling directives of its template.
  const mutableScheduling = os.suspend === true && !(isObj(old.status) && old.status.startTime);
  if (mutableScheduling) {
    const strip = (t: unknown): Obj => {
      const c = JSON.parse(JSON.stringify(obj(t))) as Obj;
      const m = obj(c.metadata);
      delete m.labels;
      delete m.annotations;
      const ts = obj(c.spec);
      for (const f of ["nodeSelector", "tolerations", "affinity", "schedulingGates"]) delete ts[f];
      return c;
    };
    errs.push(...validateImmutable(strip(s.template), strip(os.template), p.child("template")));
  } else {
    errs.push(...validateImmutable(s.template, os.template, p.child("template")));
  }
  for (const f of [
    "completionMode",
    "podFailurePolicy",
    "backoffLimitPerIndex",
    "managedBy",
    "successPolicy",
  ]) {
    errs.push(...validateImmutable(s[f], os[f], p.child(f)));
  }
  return errs;
}

export function validateJobStatusUpdate(job: KubeObject): FieldError[] {
  const st = obj(job.status);
  const p = path("status");
  const errs: FieldError[] = [];
  for (const f of ["active", "succeeded", "failed", "ready", "terminating"]) {
    errs.push(...validateNonnegative(st[f], p.child(f)));
  }
  return errs;
}

const CONCURRENCY = ["Allow", "Forbid", "Replace"];

function validateTimeZone(tz: string, p: FieldPath): FieldError[] {
  if (tz === "Local") {
    return [
      invalid(
        p,
        tz,
        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
      ),
    ];
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz === "" ? "UTC" : tz });
    return [];
  } catch {
    return [invalid(p, tz, `unknown time zone ${tz}`)];
  }
}

export function validateCronJob(cj: KubeObject): FieldError[] {
  const s = spec(cj);
  const p = path("spec");
  const errs: FieldError[] = [];
  const name = str(cj.metadata?.name);
  if (name.length > 52) {
    errs.push(invalid(path("metadata", "name"), name, "must be no more than 52 characters"));
  }
  const schedule = str(s.schedule);
  if (schedule.length === 0) errs.push(required(p.child("schedule")));
  else {
    if (schedule.includes("TZ")) {
      errs.push(
        invalid(
          p.child("schedule"),
          schedule,
          "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ),
      );
    }
    const err = cronScheduleError(schedule);
    if (err !== undefined) errs.push(invalid(p.child("schedule"), schedule, err));
  }
  if (typeof s.timeZone === "string")
    errs.push(...validateTimeZone(s.timeZone, p.child("timeZone")));
  errs.push(...validateNonnegative(s.startingDeadlineSeconds, p.child("startingDeadlineSeconds")));
  const cp = str(s.concurrencyPolicy);
  if (cp.length === 0) errs.push(required(p.child("concurrencyPolicy")));
  else if (!CONCURRENCY.includes(cp))
    errs.push(notSupported(p.child("concurrencyPolicy"), cp, CONCURRENCY));
  errs.push(
    ...validateNonnegative(s.successfulJobsHistoryLimit, p.child("successfulJobsHistoryLimit")),
  );
  errs.push(...validateNonnegative(s.failedJobsHistoryLimit, p.child("failedJobsHistoryLimit")));
  const jt = obj(s.jobTemplate);
  const jp = p.child("jobTemplate");
  const js = obj(jt.spec);
  errs.push(...validateJobSpecCommon(js, jp.child("spec")));
  if (js.manualSelector === true) {
    errs.push(notSupported(jp.child("spec", "manualSelector"), true, ["nil", "false"]));
  }
  return errs;
}
