/** metav1.LabelSelector: validation and matching against a label set. */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  required,
} from "../../machinery/field-errors.js";
import { validateLabelName, validateLabels } from "./metadata.js";
import { isValidLabelValue } from "./names.js";
import { isObj, list, obj, str, strList, strMap } from "./shape.js";

const OPS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

export function validateLabelSelector(sel: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sel)) return errs;
  errs.push(...validateLabels(sel.matchLabels, p.child("matchLabels")));
  list(sel.matchExpressions).forEach((raw, i) => {
    const e = obj(raw);
    const ep = p.child("matchExpressions").index(i);
    const values = strList(e.values);
    const op = str(e.operator);
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) {
        errs.push(
          required(ep.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) {
        errs.push(
          forbidden(
            ep.child("values"),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
    } else {
      errs.push(invalid(ep.child("operator"), op, "not a valid selector operator"));
    }
    errs.push(...validateLabelName(str(e.key), ep.child("key")));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(invalid(ep.child("values").index(j), v, m));
    });
  });
  return errs;
}

/** A parsed selector: `nothing` matches no set, `everything` every set. */
export type Selector =
  | { kind: "nothing" }
  | { kind: "match"; test: (labels: Record<string, string>) => boolean; empty: boolean };

/**
 * metav1.LabelSelectorAsSelector: nil selects nothing, {} everything;
 * undefined when the selector cannot be converted (bad operator or values).
 */
export function selectorOf(sel: unknown): Selector | undefined {
  if (!isObj(sel)) return { kind: "nothing" };
  const matchLabels = strMap(sel.matchLabels);
  const exprs = list(sel.matchExpressions).map(obj);
  for (const e of exprs) {
    const op = str(e.operator);
    const values = strList(e.values);
    if (!OPS.has(op)) return undefined;
    if ((op === "In" || op === "NotIn") && values.length === 0) return undefined;
    if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) return undefined;
  }
  const empty = Object.keys(matchLabels).length === 0 && exprs.length === 0;
  const test = (labels: Record<string, string>): boolean => {
    for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
    for (const e of exprs) {
      const key = str(e.key);
      const has = Object.hasOwn(labels, key);
      const values = strList(e.values);
      switch (str(e.operator)) {
        case "In":
          if (!has || !values.includes(labels[key] as string)) return false;
          break;
        case "NotIn":
          if (has && values.includes(labels[key] as string)) return false;
          break;
        case "Exists":
          if (!has) return false;
          break;
        default:
          if (has) return false;
      }
    }
    return true;
  };
  return { kind: "match", test, empty };
}

/** Whether a selector (as parsed) matches a label set. */
export function selectorMatches(s: Selector, labels: Record<string, string>): boolean {
  return s.kind === "match" && s.test(labels);
}

/** Whether a selector is the empty one (selects everything). */
export function selectorIsEmpty(s: Selector): boolean {
  return s.kind === "match" && s.empty;
}
