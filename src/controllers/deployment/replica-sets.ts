import type { Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import { stableJson } from "../common/hash.js";
import { scaledValue } from "../common/int-or-percent.js";
import { POD_TEMPLATE_HASH } from "./annotations.js";

/** Oldest first (by creation time, then name), as upstream's ReplicaSetsByCreationTimestamp. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? "") || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
}

/** A template without the pod-template-hash label, for comparisons (upstream's EqualIgnoreHash). */
function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {});
  const labels = copy.metadata?.labels;
  if (labels) {
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length === 0) delete copy.metadata?.labels;
  }
  return copy;
}

export function sameTemplate(
  a: PodTemplateSpec | undefined,
  b: PodTemplateSpec | undefined,
): boolean {
  return stableJson(withoutHash(a)) === stableJson(withoutHash(b));
}

/**
 * The deployment's ReplicaSet for its current template (the oldest such,
 * should several exist) and the others.
 */
export function splitReplicaSets(
  d: Deployment,
  sets: readonly ReplicaSet[],
): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
  const sorted = [...sets].sort(byCreation);
  const newRS = sorted.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;

export function sumSpec(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + specReplicas(rs), 0);
}

export function sumStatus(
  sets: readonly (ReplicaSet | undefined)[],
  field: "replicas" | "readyReplicas" | "availableReplicas",
): number {
  return sets.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
}

/** maxSurge and maxUnavailable as numbers; never both 0 (upstream's ResolveFenceposts). */
export function fenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  if (d.spec?.strategy?.type === "Recreate") return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, { total: replicas, roundUp: true, fallback: "25%" });
  let maxUnavailable = scaledValue(ru?.maxUnavailable, {
    total: replicas,
    roundUp: false,
    fallback: "25%",
  });
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

/** How many pods may be unavailable at most (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  if (d.spec?.strategy?.type !== "RollingUpdate" || (d.spec?.replicas ?? 1) === 0) return 0;
  return fenceposts(d).maxUnavailable;
}

/** ReplicaSets with pods wanted (spec.replicas > 0). */
export function active(sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}
