import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import { sortRevisions } from "./compare.js";

/** spec.revisionHistoryLimit's default. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/**
 * The revisions to delete so that at most `limit` non-live ones remain,
 * oldest first (upstream's truncateHistory / cleanupHistory). Live
 * revisions — the current and update revisions, and any a pod still runs —
 * are never deleted and do not count against the limit.
 */
export function revisionsToTruncate(
  revisions: readonly ControllerRevision[],
  opts: { isLive: (rev: ControllerRevision) => boolean; limit?: number | undefined },
): ControllerRevision[] {
  const limit = Math.max(opts.limit ?? DEFAULT_REVISION_HISTORY_LIMIT, 0);
  const history = sortRevisions(revisions).filter((r) => !opts.isLive(r));
  return history.slice(0, Math.max(history.length - limit, 0));
}
