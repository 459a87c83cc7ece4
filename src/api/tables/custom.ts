/**
 * Tables for custom resources, built from a CRD version's
 * additionalPrinterColumns the way apiextensions-apiserver's
 * tableconvertor does: NAME, then one column per definition filled by the
 * first result of its JSONPath. A CRD without columns gets a single AGE
 * column (serveDefaultColumnsIfEmpty).
 *
 * "string" cells print the value as kubectl's JSONPath does (maps and lists
 * as JSON); "integer", "number" and "boolean" keep JSON values of their
 * type; "date" turns an RFC 3339 timestamp into an age (`5m`). Missing
 * values are null cells.
 */
import type { CustomResourceColumnDefinition } from "kubernetes-types/apiextensions/v1.js";
import { parseTime, since } from "./duration.js";
import { NAME_COLUMN, nameOf } from "./format.js";
import { evaluatePath, parsePath } from "./jsonpath.js";
import type { ColumnDefinition, TablePrinter } from "./types.js";

const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  {
    name: "Age",
    type: "date",
    jsonPath: ".metadata.creationTimestamp",
    description:
      "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  },
];

export interface CustomResourcePrinterOptions {
  /** The cell of a "date" column whose value is not a timestamp (default "<invalid>"). */
  readonly invalidDate?: string | null;
}

/** Text of a value in a "string" column: scalars as text, objects and arrays as JSON. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function cell(type: string, value: unknown, now: Date, invalidDate: string | null): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      return asText(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date": {
      if (typeof value !== "string") return null;
      return parseTime(value) === undefined ? invalidDate : since(value, now);
    }
    default:
      return null;
  }
}

export function customResourcePrinter(
  definitions: readonly CustomResourceColumnDefinition[] | undefined,
  options: CustomResourcePrinterOptions = {},
): TablePrinter {
  const invalidDate = options.invalidDate === undefined ? "<invalid>" : options.invalidDate;
  const defs = definitions && definitions.length > 0 ? definitions : DEFAULT_COLUMNS;
  const paths = defs.map((d) => parsePath(d.jsonPath));
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
    row(obj, now) {
      const cells: unknown[] = [nameOf(obj)];
      defs.forEach((d, i) => {
        const steps = paths[i];
        const results = steps ? evaluatePath(steps, obj) : [];
        cells.push(results.length === 0 ? null : cell(d.type, results[0], now, invalidDate));
      });
      return cells;
    },
  };
}
