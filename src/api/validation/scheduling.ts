/** Scheduling fields of a pod spec: tolerations, affinity, topology spread. */
import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from "../../machinery/field-errors.js";
import { validateLabelName } from "./metadata.js";
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from "./names.js";
import { validateLabelSelector } from "./selector.js";
import { isObj, num, type Obj, objList, str, strList } from "./shape.js";

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function validateTaintEffect(
  effect: string,
  p: FieldPath,
  allowEmpty: boolean,
): FieldError[] {
  if (!allowEmpty && effect.length === 0) return [required(p)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(p, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(tolerations).forEach((t, i) => {
    const ip = p.index(i);
    const key = str(t.key);
    const op = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key.length > 0) errs.push(...validateLabelName(key, ip.child("key")));
    if (key.length === 0 && op !== "Exists") {
      errs.push(
        invalid(
          ip.child("operator"),
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (
      t.tolerationSeconds !== undefined &&
      t.tolerationSeconds !== null &&
      effect !== "NoExecute"
    ) {
      errs.push(
        invalid(
          ip.child("effect"),
          effect,
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    if (op === "Equal" || op === "") {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(ip.child("operator"), value, msgs.join(";")));
    } else if (op === "Exists") {
      if (value.length > 0) {
        errs.push(
          invalid(ip.child("operator"), value, "value must be empty when `operator` is 'Exists'"),
        );
      }
    } else {
      errs.push(notSupported(ip.child("operator"), op, ["Equal", "Exists"]));
    }
    if (effect.length > 0) errs.push(...validateTaintEffect(effect, ip.child("effect"), true));
  });
  return errs;
}

function validateNodeSelectorRequirement(
  rq: Obj,
  p: FieldPath,
  checkValues: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = strList(rq.values);
  switch (str(rq.operator)) {
    case "In":
    case "NotIn":
      if (values.length === 0) {
        errs.push(
          required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) {
        errs.push(
          forbidden(
            p.child("values"),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) {
        errs.push(
          required(
            p.child("values"),
            "must be specified single value when `operator` is 'Lt' or 'Gt'",
          ),
        );
      }
      break;
    default:
      errs.push(invalid(p.child("operator"), str(rq.operator), "not a valid selector operator"));
  }
  errs.push(...validateLabelName(str(rq.key), p.child("key")));
  if (checkValues) {
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(v)) errs.push(invalid(p.child("values").index(i), v, m));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(term: Obj, p: FieldPath, checkValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objList(term.matchExpressions).forEach((rq, j) => {
    errs.push(
      ...validateNodeSelectorRequirement(rq, p.child("matchExpressions").index(j), checkValues),
    );
  });
  objList(term.matchFields).forEach((rq, j) => {
    const fp = p.child("matchFields").index(j);
    const op = str(rq.operator);
    if (op === "In" || op === "NotIn") {
      if (strList(rq.values).length !== 1) {
        errs.push(
          required(
            fp.child("values"),
            "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
          ),
        );
      }
    } else {
      errs.push(invalid(fp.child("operator"), op, "not a valid selector operator"));
    }
    if (str(rq.key) !== "metadata.name") {
      errs.push(invalid(fp.child("key"), str(rq.key), "not a valid field selector key"));
    } else {
      strList(rq.values).forEach((v, i) => {
        for (const m of isDNS1123Subdomain(v))
          errs.push(invalid(fp.child("values").index(i), v, m));
      });
    }
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, p: FieldPath): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, p.child("labelSelector"));
  errs.push(...validateLabelSelector(term.namespaceSelector, p.child("namespaceSelector")));
  for (const ns of strList(term.namespaces)) {
    for (const m of isDNS1123Label(ns)) errs.push(invalid(p.child("namespace"), ns, m));
  }
  const topologyKey = str(term.topologyKey);
  if (topologyKey.length === 0) errs.push(required(p.child("topologyKey"), "can not be empty"));
  errs.push(...validateLabelName(topologyKey, p.child("topologyKey")));
  return errs;
}

function validateWeight(w: unknown, p: FieldPath): FieldError[] {
  const weight = num(w) ?? 0;
  return weight <= 0 || weight > 100 ? [invalid(p, weight, "must be in the range 1-100")] : [];
}

function validatePodAffinity(a: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    errs.push(
      ...validatePodAffinityTerm(
        t,
        p.child("requiredDuringSchedulingIgnoredDuringExecution").index(i),
      ),
    );
  });
  objList(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const ip = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
    errs.push(...validateWeight(t.weight, ip.child("weight")));
    errs.push(
      ...validatePodAffinityTerm(
        isObj(t.podAffinityTerm) ? t.podAffinityTerm : {},
        ip.child("podAffinityTerm"),
      ),
    );
  });
  return errs;
}

export function validateAffinity(affinity: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(affinity)) return errs;
  const na = affinity.nodeAffinity;
  if (isObj(na)) {
    const np = p.child("nodeAffinity");
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const tp = np.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
      const terms = objList(req.nodeSelectorTerms);
      if (terms.length === 0) errs.push(required(tp, "must have at least one node selector term"));
      terms.forEach((t, i) => {
        errs.push(...validateNodeSelectorTerm(t, tp.index(i), true));
      });
    }
    objList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const ip = np.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
      errs.push(...validateWeight(t.weight, ip.child("weight")));
      errs.push(
        ...validateNodeSelectorTerm(
          isObj(t.preference) ? t.preference : {},
          ip.child("preference"),
          false,
        ),
      );
    });
  }
  if (isObj(affinity.podAffinity))
    errs.push(...validatePodAffinity(affinity.podAffinity, p.child("podAffinity")));
  if (isObj(affinity.podAntiAffinity)) {
    errs.push(...validatePodAffinity(affinity.podAntiAffinity, p.child("podAntiAffinity")));
  }
  return errs;
}

export function validateTopologySpreadConstraints(
  constraints: unknown,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objList(constraints).forEach((c, i) => {
    const ip = p.index(i);
    const maxSkew = num(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(ip.child("maxSkew"), maxSkew, "must be greater than zero"));
    const key = str(c.topologyKey);
    if (key.length === 0) errs.push(required(ip.child("topologyKey"), "can not be empty"));
    else errs.push(...validateLabelName(key, ip.child("topologyKey")));
    const when = str(c.whenUnsatisfiable);
    if (!["DoNotSchedule", "ScheduleAnyway"].includes(when)) {
      errs.push(
        notSupported(ip.child("whenUnsatisfiable"), when, ["DoNotSchedule", "ScheduleAnyway"]),
      );
    }
    const minDomains = num(c.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0)
        errs.push(invalid(ip.child("minDomains"), minDomains, "must be greater than 0"));
      else if (when !== "DoNotSchedule") {
        errs.push(
          invalid(
            ip.child("minDomains"),
            minDomains,
            "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
          ),
        );
      }
    }
    const pair = `{${key}, ${when}}`;
    if (seen.has(pair)) errs.push(duplicate(ip.child("{topologyKey, whenUnsatisfiable}"), pair));
    seen.add(pair);
    errs.push(...validateLabelSelector(c.labelSelector, ip.child("labelSelector")));
  });
  return errs;
}
