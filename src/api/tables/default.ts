/**
 * The table upstream's API server gives kinds without a printer of their
 * own (Roles, ClusterRoles, LimitRanges, CRDs, ...): NAME and CREATED AT,
 * the latter an RFC 3339 UTC timestamp in a "date" column, which kubectl
 * prints as is.
 */
import { parseTime } from "./duration.js";
import { column, NAME_COLUMN, nameOf } from "./format.js";
import type { TablePrinter } from "./types.js";

/** RFC 3339 in UTC to the second, Go's zero time when the timestamp is missing. */
export function rfc3339(timestamp: unknown): string {
  const ms = parseTime(timestamp);
  if (ms === undefined) return "0001-01-01T00:00:00Z";
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export const defaultPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Created At", {
      type: "date",
      description: "When the object was created (metadata.creationTimestamp).",
    }),
  ],
  row(obj) {
    return [nameOf(obj), rfc3339(obj.metadata?.creationTimestamp)];
  },
};
