import type { Pod } from "kubernetes-types/core/v1.js";
import { podsToDelete } from "../common/pod-ranking.js";

/** Upstream's burstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;

export type ReplicaDecision =
  | { readonly kind: "none" }
  | { readonly kind: "create"; readonly count: number }
  | { readonly kind: "delete"; readonly pods: readonly Pod[] };

/**
 * What one sync does to bring `active` pods to `replicas`: create the
 * missing ones or delete the least valuable extras, at most
 * BURST_REPLICAS at a time.
 */
export function decideReplicas(replicas: number, active: readonly Pod[]): ReplicaDecision {
  const diff = active.length - replicas;
  if (diff < 0) return { kind: "create", count: Math.min(-diff, BURST_REPLICAS) };
  if (diff > 0)
    return { kind: "delete", pods: podsToDelete(active, Math.min(diff, BURST_REPLICAS)) };
  return { kind: "none" };
}
