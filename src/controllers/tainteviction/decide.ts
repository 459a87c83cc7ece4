import type { Taint, Toleration } from "kubernetes-types/core/v1.js";
import { toleratesTaint } from "../../scheduler/framework/tolerations.js";

export type EvictionDecision =
  | { readonly kind: "keep" }
  | { readonly kind: "evict" }
  | { readonly kind: "wait"; readonly at: number };

/** The node's NoExecute taints: the only ones that act on running pods. */
export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === "NoExecute");
}

/** The same NoExecute taints, in the same order. */
export function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, i) =>
        t.key === b[i]?.key &&
        (t.value ?? "") === (b[i]?.value ?? "") &&
        t.effect === b[i]?.effect &&
        t.timeAdded === b[i]?.timeAdded,
    )
  );
}

/**
 * What to do with a pod on a node with these NoExecute taints (upstream's
 * processPodOnNode): a taint no toleration matches evicts it now; each
 * tolerated taint is tolerated by its first matching toleration, for ever
 * without tolerationSeconds or else until `since(taint)` (its timeAdded)
 * plus tolerationSeconds; the pod goes at the earliest such deadline.
 * Timing from timeAdded rather than from when this controller first saw
 * the taint makes a restarted controller keep the same deadline.
 */
export function decideEviction(
  tolerations: readonly Toleration[] | undefined,
  opts: { taints: readonly Taint[]; now: number; since: (taint: Taint) => number },
): EvictionDecision {
  let at = Number.POSITIVE_INFINITY;
  for (const taint of opts.taints) {
    const toleration = (tolerations ?? []).find((t) => toleratesTaint(t, taint));
    if (!toleration) return { kind: "evict" };
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    at = Math.min(at, opts.since(taint) + Math.max(0, seconds) * 1000);
  }
  if (at === Number.POSITIVE_INFINITY) return { kind: "keep" };
  return at <= opts.now ? { kind: "evict" } : { kind: "wait", at };
}
