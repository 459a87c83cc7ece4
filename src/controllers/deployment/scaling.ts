import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { DESIRED_REPLICAS, MAX_REPLICAS } from "./annotations.js";
import { active, byCreation, fenceposts, specReplicas, sumSpec } from "./replica-sets.js";
import type { Scale } from "./rolling.js";

/**
 * The deployment's replicas changed since these ReplicaSets were sized
 * (their desired-replicas annotation disagrees): a scaling event, handled
 * by proportional scaling rather than by the rollout.
 */
export function isScalingEvent(d: Deployment, sets: readonly (ReplicaSet | undefined)[]): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return active(sets).some((rs) => {
    const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS];
    return desired !== undefined && desired !== "" && Number(desired) !== replicas;
  });
}

/**
 * New sizes for a scaling event (upstream's scale): with one active
 * ReplicaSet, it takes all replicas; once the new one is saturated, old
 * ones go to zero; otherwise the change (within replicas + maxSurge) is
 * spread over the active ReplicaSets in proportion to their size, the
 * rounding leftover going to the largest.
 */
export function planScale(
  d: Deployment,
  opts: { newRS: ReplicaSet | undefined; oldRSs: readonly ReplicaSet[] },
): Scale[] {
  const replicas = d.spec?.replicas ?? 1;
  const all = [...(opts.newRS ? [opts.newRS] : []), ...opts.oldRSs];
  const act = active(all);
  const only =
    act.length === 1 ? act[0] : act.length === 0 ? (opts.newRS ?? latest(opts.oldRSs)) : undefined;
  if (only) return specReplicas(only) === replicas ? [] : [{ rs: only, replicas }];

  if (opts.newRS && saturated(d, opts.newRS)) {
    return active(opts.oldRSs).map((rs) => ({ rs, replicas: 0 }));
  }
  if (d.spec?.strategy?.type !== "RollingUpdate") return [];

  const maxSurge = fenceposts(d).maxSurge;
  const allowed = replicas > 0 ? replicas + maxSurge : 0;
  const toAdd = allowed - sumSpec(act);
  if (toAdd === 0) return [];
  // Growing: biggest (then newest) first; shrinking: biggest (then oldest) first.
  const ordered = [...act].sort((a, b) => {
    const bySize = specReplicas(b) - specReplicas(a);
    if (bySize !== 0) return bySize;
    return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
  });
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    const fraction = proportion(rs, {
      d,
      allowed,
      maxSurge,
      statusReplicas: d.status?.replicas ?? 0,
    });
    const room = toAdd - added;
    const step = toAdd > 0 ? Math.min(fraction, room) : Math.max(fraction, room);
    sizes.set(rs, specReplicas(rs) + step);
    added += step;
  }
  const first = ordered[0];
  if (first && added !== toAdd)
    sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return ordered
    .filter((rs) => (sizes.get(rs) ?? 0) !== specReplicas(rs))
    .map((rs) => ({ rs, replicas: sizes.get(rs) ?? 0 }));
}

/** The share of the new total this ReplicaSet should gain or lose (upstream's getReplicaSetFraction). */
function proportion(
  rs: ReplicaSet,
  o: { d: Deployment; allowed: number; maxSurge: number; statusReplicas: number },
): number {
  const replicas = o.d.spec?.replicas ?? 1;
  if (replicas === 0) return -specReplicas(rs);
  const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS] ?? Number.NaN);
  const base = Number.isFinite(annotated) && annotated > 0 ? annotated : o.statusReplicas;
  if (base <= 0) return 0;
  return Math.round((specReplicas(rs) * (replicas + o.maxSurge)) / base) - specReplicas(rs);
}

/** The new ReplicaSet has all the deployment's replicas and they are available. */
export function saturated(d: Deployment, rs: ReplicaSet): boolean {
  const replicas = d.spec?.replicas ?? 1;
  const desired = Number(rs.metadata?.annotations?.[DESIRED_REPLICAS] ?? Number.NaN);
  return (
    specReplicas(rs) === replicas &&
    desired === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

function latest(sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).at(-1);
}
