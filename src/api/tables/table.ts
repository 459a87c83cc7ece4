/**
 * Assembles the meta.k8s.io Table the API server returns when a client
 * asks for `application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get).
 *
 * includeObject (the `includeObject` query parameter) decides what each
 * row's `object` holds: "Metadata" — upstream's default when the parameter
 * is absent, and what kubectl gets unless it sorts with --sort-by, which
 * asks for "Object" — a PartialObjectMetadata; "Object" the object itself
 * (already in the requested version); "None" nothing (JSON null, as Go
 * serialises an empty RawExtension).
 */
import type { KubeObject } from "../strategy.js";
import type { ColumnDefinition, TablePrinter, TableRowCondition } from "./types.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object: unknown;
}

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: TableListMeta;
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

export interface BuildTableOptions {
  printer: TablePrinter;
  /** The items of a list, or the single object of a GET. */
  objects: readonly KubeObject[];
  /** Reference time for ages. */
  now: Date;
  includeObject: IncludeObject;
  /** For a list, the list's metadata; for a single object, its resourceVersion. */
  listMeta: TableListMeta;
  /** `noHeaders` table option: leaves columnDefinitions null (default false). */
  noHeaders?: boolean;
  /** apiVersion of the Table and of PartialObjectMetadata rows (default "meta.k8s.io/v1"). */
  apiVersion?: string;
}

function listMeta(meta: TableListMeta): TableListMeta {
  const out: TableListMeta = {};
  if (meta.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta.continue) out.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}

function rowObject(obj: KubeObject, opts: { include: IncludeObject; apiVersion: string }): unknown {
  switch (opts.include) {
    case "Object":
      return obj;
    case "None":
      return null;
    case "Metadata":
      return {
        kind: "PartialObjectMetadata",
        apiVersion: opts.apiVersion,
        metadata: obj.metadata ?? {},
      };
  }
}

export function buildTable(opts: BuildTableOptions): Table {
  const apiVersion = opts.apiVersion ?? "meta.k8s.io/v1";
  const rows = opts.objects.map((obj): TableRow => {
    const row: TableRow = { cells: opts.printer.row(obj, opts.now), object: null };
    const conditions = opts.printer.conditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    row.object = rowObject(obj, { include: opts.includeObject, apiVersion });
    return row;
  });
  return {
    kind: "Table",
    apiVersion,
    metadata: listMeta(opts.listMeta),
    columnDefinitions: opts.noHeaders ? null : opts.printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
