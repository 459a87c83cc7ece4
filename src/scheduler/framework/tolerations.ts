/** Taint/toleration matching (upstream's v1helper ToleratesTaint and friends). */
import type { Taint, Toleration } from "kubernetes-types/core/v1.js";

/**
 * Whether one toleration tolerates one taint: effects match (an empty
 * toleration effect matches all), keys match (an empty key with Exists matches
 * every key), and with Equal (the default operator) the values are equal.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[] | undefined,
  taint: Taint,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint (in node order) passing `include` that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  opts: { readonly tolerations: readonly Toleration[] | undefined; include(t: Taint): boolean },
): Taint | undefined {
  return (taints ?? []).find(
    (taint) => opts.include(taint) && !tolerationsTolerateTaint(opts.tolerations, taint),
  );
}

/** NoSchedule and NoExecute: the effects that keep new pods off a node. */
export function isHardTaint(taint: Taint): boolean {
  return taint.effect === "NoSchedule" || taint.effect === "NoExecute";
}
