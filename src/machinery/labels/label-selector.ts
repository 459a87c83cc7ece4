/**
 * metav1.LabelSelector objects (matchLabels + matchExpressions) as selectors,
 * with upstream's LabelSelectorAsSelector rules: a missing selector selects
 * nothing, an empty one selects everything.
 */
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { LabelSelectorError } from "./errors.js";
import { compareStrings, newRequirement, type Operator, type Requirement } from "./requirement.js";
import { everything, nothing, type Selector, selectorFromRequirements } from "./selector.js";

const OPERATORS: Readonly<Record<string, Operator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * Convert a LabelSelector object. Throws LabelSelectorError (or its subclass
 * InvalidRequirementError) for an unknown operator, bad keys or bad values.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const key of Object.keys(matchLabels).sort(compareStrings)) {
    reqs.push(newRequirement({ key, operator: "=", values: [matchLabels[key] as string] }));
  }
  for (const expr of exprs) {
    const op = Object.hasOwn(OPERATORS, expr.operator) ? OPERATORS[expr.operator] : undefined;
    if (op === undefined) {
      throw new LabelSelectorError(
        `${JSON.stringify(expr.operator)} is not a valid label selector operator`,
      );
    }
    const values = expr.values && expr.values.length > 0 ? [...expr.values] : undefined;
    reqs.push(newRequirement({ key: expr.key, operator: op, values }));
  }
  return selectorFromRequirements(reqs);
}

/**
 * matchLabels plus single-value `In` expressions as a plain map (upstream's
 * LabelSelectorAsMap); other operators cannot be expressed and throw.
 */
export function labelSelectorAsMap(
  ls: LabelSelector | null | undefined,
): Record<string, string> | undefined {
  if (ls === null || ls === undefined) return undefined;
  const out: Record<string, string> = { ...(ls.matchLabels ?? {}) };
  for (const expr of ls.matchExpressions ?? []) {
    switch (expr.operator) {
      case "In":
        if (expr.values?.length !== 1) {
          throw new LabelSelectorError(
            `operator "In" without a single value cannot be converted into the old label selector format`,
          );
        }
        out[expr.key] = expr.values[0] as string;
        break;
      case "NotIn":
      case "Exists":
      case "DoesNotExist":
        throw new LabelSelectorError(
          `operator ${JSON.stringify(expr.operator)} cannot be converted into the old label selector format`,
        );
      default:
        throw new LabelSelectorError(
          `${JSON.stringify(expr.operator)} is not a valid selector operator`,
        );
    }
  }
  return out;
}
