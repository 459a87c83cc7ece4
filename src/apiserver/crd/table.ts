/**
 * Tables of custom resources, as apiextensions-apiserver's
 * pkg/registry/customresource/tableconvertor builds them: a Name column,
 * then one column per additionalPrinterColumn (priority > 0 ones are only
 * shown by `kubectl get -o wide`; the server always sends them). A version
 * without printer columns gets the single Age column upstream serves by
 * default (serveDefaultColumnsIfEmpty); with columns, none is added.
 *
 * Each cell is the first result of the column's JSONPath: "string" columns
 * print it as kubectl's JSONPath does (maps and lists as JSON), "integer",
 * "number" and "boolean" keep JSON values of their type, "date" turns an
 * RFC 3339 timestamp into an age (`5m`). Missing values are null cells.
 */
import type { CustomResourceColumnDefinition } from "kubernetes-types/apiextensions/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import { humanDuration } from "../../api/tables/duration.js";
import { NAME_COLUMN, nameOf } from "../../api/tables/format.js";
import { buildTable, type Table } from "../../api/tables/table.js";
import type { ColumnDefinition, TablePrinter } from "../../api/tables/types.js";
import type { TableOptions } from "../hooks.js";
import { isPlainObject, jsonEqual } from "./schema-validate.js";
import type { CustomResourceVersion } from "./types.js";

const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  {
    name: "Age",
    type: "date",
    jsonPath: ".metadata.creationTimestamp",
    description:
      "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  },
];

// --- a JSONPath subset: .a.b, ['a.b'], [0], [-1], [*], .*, [?(@.x=="y")] ---

type Comparison = "==" | "!=" | "<" | "<=" | ">" | ">=";
type Filter = { path: Step[]; op?: Comparison; literal?: unknown };
type Step = { key: string } | { index: number } | { wildcard: true } | { filter: Filter };

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

/** Parses a column's JSONPath (with or without `{}` and a leading `$`); undefined when unsupported. */
export function parseJsonPath(input: string): Step[] | undefined {
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

function parseFilter(text: string): Filter | undefined {
  const m = /^\s*@((?:\.[^.\s=!<>]+|\['[^']*'\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/.exec(text);
  if (!m) return undefined;
  const path = parseJsonPath(m[1] ?? "");
  if (!path) return undefined;
  if (m[2] === undefined) return { path };
  return { path, op: m[2] as Comparison, literal: parseLiteral(m[3] ?? "") };
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
  if (isPlainObject(value)) return Object.values(value);
  return [];
}

/** Every match of a parsed path in document order; missing keys match nothing. */
export function evaluateJsonPath(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ("key" in step) {
        if (isPlainObject(value) && Object.hasOwn(value, step.key)) next.push(value[step.key]);
      } else if ("index" in step) {
        if (Array.isArray(value)) {
          const at = step.index < 0 ? value.length + step.index : step.index;
          if (at >= 0 && at < value.length) next.push(value[at]);
        }
      } else if ("wildcard" in step) {
        next.push(...children(value));
      } else {
        const f = step.filter;
        for (const item of children(value)) {
          const found = evaluateJsonPath(f.path, item);
          if (f.op === undefined) {
            if (found.length > 0) next.push(item);
          } else if (found.length > 0 && compare(found[0], f.op, f.literal)) {
            next.push(item);
          }
        }
      }
    }
    current = next;
  }
  return current;
}

/** kubectl's JSONPath text of a value: strings raw, scalars plain, maps and lists as JSON. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function cell(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      return text(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date": {
      if (typeof value !== "string") return null;
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) return null;
      return humanDuration(now.getTime() - ms);
    }
    default:
      return null;
  }
}

/** The printer of one custom resource version's table. */
export function customResourceTablePrinter(
  definitions: readonly CustomResourceColumnDefinition[] | undefined,
): TablePrinter {
  const defs = definitions && definitions.length > 0 ? definitions : DEFAULT_COLUMNS;
  const paths = defs.map((d) => parseJsonPath(d.jsonPath));
  const columns: ColumnDefinition[] = [
    NAME_COLUMN,
    ...defs.map((d) => ({
      name: d.name,
      type: d.type,
      format: d.format ?? "",
      description: d.description ?? "",
      priority: d.priority ?? 0,
    })),
  ];
  return {
    columns,
    row(obj: KubeObject, now: Date) {
      const cells: unknown[] = [nameOf(obj)];
      defs.forEach((d, i) => {
        const steps = paths[i];
        const results = steps ? evaluateJsonPath(steps, obj) : [];
        cells.push(results.length === 0 ? null : cell(d.type, results[0], now));
      });
      return cells;
    },
  };
}

/** The Table of custom resources of one version, for the buildTable hook. */
export function customResourceTable(cr: CustomResourceVersion, opts: TableOptions): Table {
  return buildTable({
    printer: customResourceTablePrinter(cr.version.additionalPrinterColumns),
    objects: opts.objects,
    now: opts.now,
    includeObject: opts.includeObject,
    listMeta: opts.listMeta,
    ...(opts.noHeaders !== undefined ? { noHeaders: opts.noHeaders } : {}),
  });
}
