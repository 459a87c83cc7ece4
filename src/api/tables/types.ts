import type { KubeObject } from "../strategy.js";

/** One column of a meta.k8s.io/v1 Table, as it appears on the wire (TableColumnDefinition). */
export interface ColumnDefinition {
  /** Human-readable header; kubectl upper-cases it ("Up-to-date" prints as UP-TO-DATE). */
  name: string;
  /** OpenAPI type of the cells: "string", "integer", "number", "boolean" or "date". */
  type: string;
  /** OpenAPI format hint; "name" marks the column that identifies the object. */
  format: string;
  /** What the column shows. */
  description: string;
  /** 0 for columns shown by default, 1 and above for `-o wide` only. */
  priority: number;
}

/** A per-row condition (TableRowCondition); upstream marks finished pods with "Completed". */
export interface TableRowCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

/**
 * Turns objects of one resource into table rows the way the upstream API
 * server does for `kubectl get`. Rows always carry every column, wide ones
 * included (the server renders wide; kubectl hides priority > 0 columns).
 */
export interface TablePrinter {
  readonly columns: readonly ColumnDefinition[];
  /** The cells of one object, in column order. Pure: `now` is the reference for ages. */
  row(obj: KubeObject, now: Date): unknown[];
  /** Row conditions, when the kind has any (pods in a terminal phase). */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
