/**
 * Tables for custom resources, built from a CRD version's
 * additionalPrinterColumns the way apiextensions-apiserver does: NAME,
 * then one column per definition filled by its JSONPath. A CRD without
 * columns gets a single AGE column.
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
    description: "Time since the object was created (metadata.creationTimestamp).",
  },
];

/** Text of a value in a "string" column: scalars as text, objects and arrays as JSON. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function cell(type: string, value: unknown, now: Date): unknown {
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
      return parseTime(value) === undefined ? "<invalid>" : since(value, now);
    }
    default:
      return null;
  }
}

export function customResourcePrinter(
  definitions: readonly CustomResourceColumnDefinition[] | undefined,
): TablePrinter {
  const defs = definitions && definitions.length > 0 ? definitions : DEFAULT_COLUMNS;
  const paths = defs.map((d) => parsePath(d.jsonPath));
  const columns: ColumnDefinition[] = [
    NAME_COLUMN,
    ...defs.map((d) => ({
      name: d.name,
      type: d.type,
      format: d.format ?? "",
      description: d.description ?? `Custom resource column (JSONPath ${d.jsonPath}).`,
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
        cells.push(results.length === 0 ? null : cell(d.type, results[0], now));
      });
      return cells;
    },
  };
}
