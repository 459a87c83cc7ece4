import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH = "pod-template-hash";

/** Deployment annotations that are the controller's or kubectl's own and never copied to ReplicaSets. */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

/** A ReplicaSet's revision number (0 when it has none). */
export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata?.annotations?.[REVISION] ?? "0");
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(sets: readonly ReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * The annotations a ReplicaSet of `d` should carry at `revision`: the
 * deployment's own (such as kubernetes.io/change-cause, which `kubectl
 * rollout history` shows), the revision, and — when an old ReplicaSet is
 * reused by a rollback — the revisions it had before in revision-history.
 * Returns undefined when nothing changes.
 */
export function replicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  opts: { revision: number; maxSurge: number },
): Record<string, string> | undefined {
  const current = rs.metadata?.annotations ?? {};
  const next: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (!NOT_COPIED.has(k)) next[k] = v;
  }
  const old = current[REVISION];
  const wanted = String(opts.revision);
  if (old === undefined || Number(old) < opts.revision) {
    next[REVISION] = wanted;
    if (old !== undefined && old !== "" && old !== wanted) {
      const history = current[REVISION_HISTORY];
      next[REVISION_HISTORY] = history ? `${history},${old}` : old;
    }
  }
  const replicas = d.spec?.replicas ?? 1;
  next[DESIRED_REPLICAS] = String(replicas);
  next[MAX_REPLICAS] = String(replicas + opts.maxSurge);
  const same =
    Object.keys(next).length === Object.keys(current).length &&
    Object.entries(next).every(([k, v]) => current[k] === v);
  return same ? undefined : next;
}
