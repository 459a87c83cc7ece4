/**
 * Cell formatting shared by the printers: label maps and selectors the way
 * upstream renders them, container name/image lists, "+ N more..." lists,
 * quantities and column definitions.
 */
import type { KubeObject } from "../strategy.js";
import type { ColumnDefinition } from "./types.js";

/** Reads a typed view of a JSON object (printers only read, never trust shape). */
export function view<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? "";
}

/** Go-style byte-order comparison (JS sorts by UTF-16 code unit; identical for ASCII). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `a=1,b=2` sorted, or "<none>" for an empty map (upstream labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  pairs.sort(compare);
  return pairs.length === 0 ? "<none>" : pairs.join(",");
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

const OPERATORS: Record<string, string> = {
  In: " in ",
  NotIn: " notin ",
  Exists: "",
  DoesNotExist: "",
};

/**
 * The string form of a label selector as upstream prints it
 * (`app=nginx,tier in (a,b),!legacy`), requirements sorted by key; an
 * absent or empty selector is "". Returns undefined when the selector is
 * not valid (unknown operator or a values list that does not fit it).
 */
export function selectorString(selector: LabelSelector | null | undefined): string | undefined {
  if (selector === null || selector === undefined) return "";
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push({ key, text: `${key}=${value}` });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const op = OPERATORS[expr.operator];
    const values = [...(expr.values ?? [])];
    if (op === undefined) return undefined;
    if (expr.operator === "Exists" || expr.operator === "DoesNotExist") {
      if (values.length > 0) return undefined;
      reqs.push({ key: expr.key, text: expr.operator === "Exists" ? expr.key : `!${expr.key}` });
      continue;
    }
    if (values.length === 0) return undefined;
    values.sort(compare);
    reqs.push({ key: expr.key, text: `${expr.key}${op}(${values.join(",")})` });
  }
  reqs.sort((a, b) => compare(a.key, b.key));
  return reqs.map((r) => r.text).join(",");
}

/** Upstream metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const s = selectorString(selector);
  if (s === undefined) return "<error>";
  return s === "" ? "<none>" : s;
}

interface NamedImage {
  name?: string;
  image?: string;
}

/** Comma-joined container names and images (the CONTAINERS and IMAGES cells). */
export function containerCells(containers: readonly NamedImage[] | null | undefined): {
  names: string;
  images: string;
} {
  const list = containers ?? [];
  return {
    names: list.map((c) => c.name ?? "").join(","),
    images: list.map((c) => c.image ?? "").join(","),
  };
}

/** Joins the first `max` items and appends " + N more..." for the rest; "<unset>" when empty. */
export function listWithMore(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(",");
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === "" ? "<unset>" : shown;
}

/** A resource.Quantity as printed; absent quantities are "0" like Go's zero value. */
export function quantity(q: unknown): string {
  if (q === undefined || q === null || q === "") return "0";
  return String(q);
}

/** An IntOrString as printed. */
export function intOrString(v: unknown): string {
  return String(v);
}

/** "True"/"False" for a set boolean, "<unset>" otherwise. */
export function boolPtr(v: boolean | null | undefined): string {
  if (v === undefined || v === null) return "<unset>";
  return v ? "True" : "False";
}

/** Builds a column definition; `type` defaults to "string", `priority` to 0. */
export function column(
  name: string,
  opts: { description: string; type?: string; format?: string; priority?: number },
): ColumnDefinition {
  return {
    name,
    type: opts.type ?? "string",
    format: opts.format ?? "",
    description: opts.description,
    priority: opts.priority ?? 0,
  };
}

export const NAME_COLUMN = column("Name", {
  format: "name",
  description:
    "Name of the object, unique within its namespace (or the cluster when not namespaced).",
});

export const AGE_COLUMN = column("Age", {
  description: "Time since the object was created (metadata.creationTimestamp).",
});

export function wide(name: string, description: string): ColumnDefinition {
  return column(name, { description, priority: 1 });
}

export const CONTAINERS_COLUMN = wide("Containers", "Names of the containers in the pod template.");
export const IMAGES_COLUMN = wide("Images", "Images of the containers in the pod template.");
