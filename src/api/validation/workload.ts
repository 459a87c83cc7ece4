/** Pieces shared by controllers that own pods: selectors, templates, int-or-percent. */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from "../../machinery/field-errors.js";
import { goLabelSelector, goMapValue, goValue } from "./go-value.js";
import { validateNonnegative } from "./metadata.js";
import { isValidPercent } from "./names.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { selectorIsEmpty, selectorMatches, selectorOf, validateLabelSelector } from "./selector.js";
import { isObj, list, type Obj, obj, str, strMap } from "./shape.js";

/** A LabelSelector as a bad value: JSON for clients, Go syntax for messages. */
export function selectorValue(sel: unknown) {
  const s = obj(sel);
  const matchLabels = isObj(s.matchLabels) ? strMap(s.matchLabels) : undefined;
  const matchExpressions = Array.isArray(s.matchExpressions)
    ? list(s.matchExpressions).map((e) => {
        const o = obj(e);
        return {
          key: str(o.key),
          operator: str(o.operator),
          ...(Array.isArray(o.values) ? { values: o.values.map(String) } : {}),
        };
      })
    : undefined;
  const text = goLabelSelector({
    ...(matchLabels !== undefined ? { matchLabels } : {}),
    ...(matchExpressions !== undefined ? { matchExpressions } : {}),
  });
  return goValue(sel ?? null, text);
}

/**
 * spec.selector required and non-empty, then the template checked against
 * it: the `replica set` form shared by Deployment, ReplicaSet, DaemonSet
 * and StatefulSet. `what` names the kind in upstream's messages.
 */
export function validateSelectorAndTemplate(
  spec: Obj,
  p: FieldPath,
  opts: { what: string; emptyWhat?: string },
): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (!isObj(sel)) {
    errs.push(required(p.child("selector")));
  } else {
    errs.push(...validateLabelSelector(sel, p.child("selector")));
    if (list(sel.matchExpressions).length + Object.keys(obj(sel.matchLabels)).length === 0) {
      errs.push(
        invalid(
          p.child("selector"),
          selectorValue(sel),
          `empty selector is invalid for ${opts.emptyWhat ?? opts.what}`,
        ),
      );
    }
  }
  const selector = selectorOf(sel);
  if (selector === undefined) {
    errs.push(invalid(p.child("selector"), selectorValue(sel), "invalid label selector"));
  } else {
    errs.push(
      ...validateTemplateForController(spec.template, p.child("template"), {
        selector,
        what: opts.what,
      }),
    );
  }
  return errs;
}

function validateTemplateForController(
  template: unknown,
  p: FieldPath,
  opts: { selector: NonNullable<ReturnType<typeof selectorOf>>; what: string },
): FieldError[] {
  if (!isObj(template)) return [required(p)];
  const errs: FieldError[] = [];
  const labels = isObj(obj(template.metadata).labels)
    ? strMap(obj(template.metadata).labels)
    : undefined;
  if (!selectorIsEmpty(opts.selector) && !selectorMatches(opts.selector, labels ?? {})) {
    errs.push(
      invalid(
        p.child("metadata", "labels"),
        goMapValue(labels),
        "`selector` does not match template `labels`",
      ),
    );
  }
  errs.push(...validatePodTemplateSpec(template, p));
  const tspec = obj(template.spec);
  const rp = str(tspec.restartPolicy);
  if (rp !== "Always") errs.push(notSupported(p.child("spec", "restartPolicy"), rp, ["Always"]));
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) {
    errs.push(
      forbidden(
        p.child("spec", "activeDeadlineSeconds"),
        `activeDeadlineSeconds in ${opts.what} is not Supported`,
      ),
    );
  }
  return errs;
}

/** An IntOrString as upstream prints it (ints bare, strings quoted). */
export function intOrStringValue(v: unknown): unknown {
  return typeof v === "number" || typeof v === "string" ? v : null;
}

/** The integer or percentage an IntOrString holds (percent as its number). */
export function intOrPercent(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = Number.parseInt(v.replace(/%$/, ""), 10);
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

export function validatePositiveIntOrPercent(v: unknown, p: FieldPath): FieldError[] {
  if (typeof v === "string") return isValidPercent(v).map((m) => invalid(p, v, m));
  if (typeof v === "number") return validateNonnegative(v, p);
  return [];
}

export function isNotMoreThan100Percent(v: unknown, p: FieldPath): FieldError[] {
  if (typeof v !== "string" || isValidPercent(v).length > 0) return [];
  return intOrPercent(v) > 100 ? [invalid(p, v, "must not be greater than 100%")] : [];
}
