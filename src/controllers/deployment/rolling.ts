import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import {
  byCreation,
  fenceposts,
  maxUnavailable,
  specReplicas,
  sumSpec,
  sumStatus,
} from "./replica-sets.js";

/**
 * How many replicas the new ReplicaSet should have now (upstream's
 * NewRSNewReplicas): for RollingUpdate, grow it as far as maxSurge allows
 * above the deployment's replicas, never past them; for Recreate, all.
 */
export function newReplicaSetReplicas(
  d: Deployment,
  opts: { all: readonly ReplicaSet[]; newRS: ReplicaSet | undefined },
): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== "RollingUpdate") return replicas;
  const current = specReplicas(opts.newRS);
  if (current >= replicas) return current;
  const maxTotal = replicas + fenceposts(d).maxSurge;
  const total = sumSpec(opts.all);
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, replicas - current);
}

/** A ReplicaSet's new size. */
export interface Scale {
  readonly rs: ReplicaSet;
  readonly replicas: number;
}

/**
 * Which old ReplicaSets to shrink, and by how much, without letting
 * availability drop below replicas - maxUnavailable (upstream's
 * reconcileOldReplicaSets): first pods that are not available anyway
 * (they cost no availability), then available ones, oldest ReplicaSets
 * first.
 */
export function planOldScaleDown(
  d: Deployment,
  opts: { oldRSs: readonly ReplicaSet[]; newRS: ReplicaSet | undefined },
): Scale[] {
  const oldCount = sumSpec(opts.oldRSs);
  if (oldCount === 0) return [];
  const all = [...opts.oldRSs, ...(opts.newRS ? [opts.newRS] : [])];
  const replicas = d.spec?.replicas ?? 1;
  const minAvailable = replicas - maxUnavailable(d);
  const newUnavailable = specReplicas(opts.newRS) - (opts.newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const sizes = new Map<ReplicaSet, number>(opts.oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const oldest = [...opts.oldRSs].sort(byCreation);

  // Unhealthy replicas first: scaling them away loses no availability.
  let cleaned = 0;
  for (const rs of oldest) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs) ?? 0;
    const unhealthy = size - (rs.status?.availableReplicas ?? 0);
    if (size === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(rs, size - down);
    cleaned += down;
  }

  // Then healthy ones, as far as availability allows.
  const available = sumStatus(all, "availableReplicas");
  if (available > minAvailable) {
    const budget = available - minAvailable;
    let taken = 0;
    for (const rs of oldest) {
      if (taken >= budget) break;
      const size = sizes.get(rs) ?? 0;
      if (size === 0) continue;
      const down = Math.min(size, budget - taken);
      sizes.set(rs, size - down);
      taken += down;
    }
  }
  return oldest
    .filter((rs) => (sizes.get(rs) ?? 0) !== specReplicas(rs))
    .map((rs) => ({ rs, replicas: sizes.get(rs) ?? 0 }));
}
