import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import { stableJson } from "../common/hash.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "./revision.js";

/** Oldest first: by revision number, then creation time, then name (upstream's SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  const created = (r: ControllerRevision) => Date.parse(r.metadata?.creationTimestamp ?? "") || 0;
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      created(a) - created(b) ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
}

/** Same data, compared as canonical JSON (the API server may reorder keys). */
export function sameData(a: ControllerRevision, b: ControllerRevision): boolean {
  return stableJson(a.data ?? null) === stableJson(b.data ?? null);
}

/**
 * Upstream's EqualRevision: revisions whose hash labels differ are
 * different; otherwise they are equal when their data is.
 */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  const ha = a.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return sameData(a, b);
}

/** The revisions equal to `needle`, in the order given. */
export function findEqualRevisions(
  revisions: readonly ControllerRevision[],
  needle: ControllerRevision,
): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** The highest revision number, 0 for none. */
export function maxRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

/** The number the next revision gets: one past the highest. */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return maxRevision(revisions) + 1;
}
