/**
 * One label requirement (`key op values`), its validation, matching and
 * string form, with the semantics of upstream's labels.Requirement.
 */
import {
  fieldPath,
  goQuote,
  goStringSlice,
  InvalidRequirementError,
  invalidError,
  notSupportedError,
  type SelectorFieldError,
} from "./errors.js";
import { isQualifiedName, isValidLabelValue } from "./validation.js";

/** Upstream's selection.Operator values. */
export type Operator = "in" | "notin" | "=" | "==" | "!=" | "gt" | "lt" | "exists" | "!";

export const BINARY_OPERATORS: readonly Operator[] = ["in", "notin", "=", "==", "!=", "gt", "lt"];
export const UNARY_OPERATORS: readonly Operator[] = ["exists", "!"];
const VALID_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, ...UNARY_OPERATORS];

/** A label set: plain key/value record, as in `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Values as given (the parser sorts and deduplicates; LabelSelector keeps its order). */
  readonly values: readonly string[];
}

export interface NewRequirementOptions {
  key: string;
  operator: string;
  /** Undefined stands for a nil list (it only changes how errors print it). */
  values?: readonly string[] | undefined;
  /** Field path prefix for errors, e.g. `spec.nodeSelectorTerms[0].matchExpressions[1]`. */
  path?: string | undefined;
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an integer or undefined. */
export function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Validate and build a requirement; throws InvalidRequirementError listing every problem. */
export function newRequirement(opts: NewRequirementOptions): Requirement {
  const { key, operator, path } = opts;
  const values = opts.values ?? [];
  const errs: SelectorFieldError[] = [];
  const keyErr = validateLabelKey(key, fieldPath.child(path, "key"));
  if (keyErr) errs.push(keyErr);

  const valuesPath = fieldPath.child(path, "values");
  const shownValues = goStringSlice(opts.values);
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) {
        errs.push(
          invalidError(
            valuesPath,
            shownValues,
            "for 'in', 'notin' operators, values set can't be empty",
          ),
        );
      }
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) {
        errs.push(
          invalidError(
            valuesPath,
            shownValues,
            "exact-match compatibility requires one single value",
          ),
        );
      }
      break;
    case "exists":
    case "!":
      if (values.length !== 0) {
        errs.push(
          invalidError(
            valuesPath,
            shownValues,
            "values set must be empty for exists and does not exist",
          ),
        );
      }
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) {
        errs.push(
          invalidError(
            valuesPath,
            shownValues,
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalidError(
              fieldPath.index(valuesPath, i),
              goQuote(v),
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
        }
      });
      break;
    default:
      errs.push(notSupportedError(fieldPath.child(path, "operator"), operator, VALID_OPERATORS));
  }

  values.forEach((v, i) => {
    const e = validateLabelValue(key, v, fieldPath.index(valuesPath, i));
    if (e) errs.push(e);
  });
  if (errs.length > 0) throw new InvalidRequirementError(errs);
  return { key, operator: operator as Operator, values: [...values] };
}

/** Upstream's validateLabelKey: an Invalid error at `path`, or undefined. */
export function validateLabelKey(
  key: string,
  path: string | undefined,
): SelectorFieldError | undefined {
  const errs = isQualifiedName(key);
  if (errs.length === 0) return undefined;
  return invalidError(fieldPath.show(path), goQuote(key), errs.join("; "));
}

function validateLabelValue(
  key: string,
  value: string,
  path: string,
): SelectorFieldError | undefined {
  const errs = isValidLabelValue(value);
  if (errs.length === 0) return undefined;
  return invalidError(fieldPath.index(path, key), goQuote(value), errs.join("; "));
}

/** Whether the labels satisfy the requirement. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return value !== undefined && r.values.includes(value);
    case "notin":
    case "!=":
      return value === undefined || !r.values.includes(value);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (value === undefined || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0] as string);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === "gt" ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

const OPERATOR_TEXT: Record<Operator, string> = {
  "=": "=",
  "==": "==",
  "!=": "!=",
  in: " in ",
  notin: " notin ",
  gt: ">",
  lt: "<",
  exists: "",
  "!": "",
};

/** Go's byte-wise string order, used by every upstream sort of keys and values. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical text: `a=b`, `a in (x,y)`, `!a`, `a>5` (values sorted). */
export function requirementString(r: Requirement): string {
  const prefix = r.operator === "!" ? "!" : "";
  if (r.operator === "exists" || r.operator === "!") return `${prefix}${r.key}`;
  const values =
    r.values.length === 1 ? (r.values[0] as string) : [...r.values].sort(compareStrings).join(",");
  const set = r.operator === "in" || r.operator === "notin";
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}
