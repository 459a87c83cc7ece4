import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { revisionOf } from "./annotations.js";

/**
 * The old ReplicaSets beyond revisionHistoryLimit (default 10) to delete,
 * lowest revision first; only empty ones (no pods wanted or running) and
 * not already being deleted.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const candidates = oldRSs
    .filter(
      (rs) =>
        (rs.spec?.replicas ?? 0) === 0 &&
        (rs.status?.replicas ?? 0) === 0 &&
        !rs.metadata?.deletionTimestamp,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const extra = candidates.length - limit;
  return extra > 0 ? candidates.slice(0, extra) : [];
}
