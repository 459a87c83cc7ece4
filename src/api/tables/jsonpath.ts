/**
 * The JSONPath subset CRD printer columns use: `.a.b`, `.a[0]`, `.a[-1]`,
 * `.a['dotted.key']`, `.a[*].b`, `.*`, and filters such as
 * `.status.conditions[?(@.type=="Ready")].status` (`==`, `!=`, `<`, `<=`,
 * `>`, `>=` against a string, number, boolean or null literal, or `[?(@.x)]`
 * for "has x"). The path may be wrapped in `{}` and start with `$`.
 * Returns every match in document order; missing keys yield no match rather
 * than an error.
 */
import { isObject, jsonEqual } from "../../machinery/patch/json-value.js";

type Comparison = "==" | "!=" | "<" | "<=" | ">" | ">=";
type Filter = { path: Step[]; op?: Comparison; literal?: unknown };
export type Step = { key: string } | { index: number } | { wildcard: true } | { filter: Filter };

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/.test(t)) return t.slice(1, -1);
  if (/^".*"$/.test(t)) return t.slice(1, -1);
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  const n = Number(t);
  if (t !== "" && !Number.isNaN(n)) return n;
  throw new Error(`unrecognized literal ${t}`);
}

function parseFilter(text: string): Filter | undefined {
  const m = /^\s*@((?:\.[^.\s=!<>]+|\['[^']*'\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/.exec(text);
  if (!m) return undefined;
  const path = parsePath(m[1] ?? "");
  if (!path) return undefined;
  if (m[2] === undefined) return { path };
  return { path, op: m[2] as Comparison, literal: parseLiteral(m[3] ?? "") };
}

/** Parses a path such as `.status.conditions[0].type`; undefined when unsupported. */
export function parsePath(input: string): Step[] | undefined {
  let path = input.trim();
  if (path.startsWith("{") && path.endsWith("}")) path = path.slice(1, -1).trim();
  if (path.startsWith("$")) path = path.slice(1);
  const steps: Step[] = [];
  let i = 0;
  try {
    while (i < path.length) {
      const ch = path[i];
      if (ch === ".") {
        const m = /^[^.[\]]+/.exec(path.slice(i + 1));
        if (!m) return undefined;
        steps.push(m[0] === "*" ? { wildcard: true } : { key: m[0] });
        i += 1 + m[0].length;
      } else if (ch === "[") {
        if (path.startsWith("[?(", i)) {
          const end = path.indexOf(")]", i);
          if (end < 0) return undefined;
          const filter = parseFilter(path.slice(i + 3, end));
          if (!filter) return undefined;
          steps.push({ filter });
          i = end + 2;
          continue;
        }
        const end = path.indexOf("]", i);
        if (end < 0) return undefined;
        const inner = path.slice(i + 1, end).trim();
        i = end + 1;
        if (inner === "*") steps.push({ wildcard: true });
        else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
        else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
        else return undefined;
      } else {
        return undefined;
      }
    }
  } catch {
    return undefined;
  }
  return steps;
}

function compare(a: unknown, op: Comparison, b: unknown): boolean {
  switch (op) {
    case "==":
      return jsonEqual(a, b);
    case "!=":
      return !jsonEqual(a, b);
    default: {
      if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
    }
  }
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  return [];
}

/** Every match of a parsed path in document order; missing keys match nothing. */
export function evaluatePath(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ("key" in step) {
        if (isObject(value) && Object.hasOwn(value, step.key)) next.push(value[step.key]);
      } else if ("index" in step) {
        if (Array.isArray(value)) {
          const at = step.index < 0 ? value.length + step.index : step.index;
          if (at >= 0 && at < value.length) next.push(value[at]);
        }
      } else if ("wildcard" in step) {
        next.push(...children(value));
      } else {
        // An item without the filtered field is never selected (as upstream skips it).
        const f = step.filter;
        for (const item of children(value)) {
          const found = evaluatePath(f.path, item);
          if (found.length > 0 && (f.op === undefined || compare(found[0], f.op, f.literal))) {
            next.push(item);
          }
        }
      }
    }
    current = next;
  }
  return current;
}
