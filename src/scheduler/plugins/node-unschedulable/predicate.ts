import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { tolerationsTolerateTaint } from "../../framework/tolerations.js";

/** The taint a cordoned node behaves as if it had. */
export const UNSCHEDULABLE_TAINT = {
  key: "node.kubernetes.io/unschedulable",
  effect: "NoSchedule",
} as const;

/** A cordoned node (`spec.unschedulable`) only takes pods that tolerate UNSCHEDULABLE_TAINT. */
export function fitsUnschedulable(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return true;
  return tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT);
}
