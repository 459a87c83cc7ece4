/**
 * Tables of custom resources, as apiextensions-apiserver's
 * pkg/registry/customresource/tableconvertor builds them: the printer of
 * src/api/tables/custom.ts over the version's additionalPrinterColumns
 * (priority > 0 ones are only shown by `kubectl get -o wide`; the server
 * always sends them). Here a "date" cell whose value is no timestamp is
 * null.
 */
import type { CustomResourceColumnDefinition } from "kubernetes-types/apiextensions/v1.js";
import { customResourcePrinter } from "../../api/tables/custom.js";
import { buildTable, type Table } from "../../api/tables/table.js";
import type { TablePrinter } from "../../api/tables/types.js";
import type { TableOptions } from "../hooks.js";
import type { CustomResourceVersion } from "./types.js";

/** The printer of one custom resource version's table. */
export function customResourceTablePrinter(
  definitions: readonly CustomResourceColumnDefinition[] | undefined,
): TablePrinter {
  return customResourcePrinter(definitions, { invalidDate: null });
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
