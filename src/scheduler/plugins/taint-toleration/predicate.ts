import type { Node, Pod, Taint, Toleration } from "kubernetes-types/core/v1.js";
import {
  findUntoleratedTaint,
  isHardTaint,
  tolerationsTolerateTaint,
} from "../../framework/tolerations.js";

/** The first NoSchedule/NoExecute taint of the node the pod does not tolerate. */
export function untoleratedTaint(pod: Pod, node: Node): Taint | undefined {
  return findUntoleratedTaint(node.spec?.taints, {
    tolerations: pod.spec?.tolerations,
    include: isHardTaint,
  });
}

/** How many PreferNoSchedule taints the pod does not tolerate (only its PreferNoSchedule or effect-less tolerations count). */
export function countIntolerableSoftTaints(pod: Pod, node: Node): number {
  const tolerations: Toleration[] = (pod.spec?.tolerations ?? []).filter(
    (t) => !t.effect || t.effect === "PreferNoSchedule",
  );
  return (node.spec?.taints ?? []).filter(
    (taint) => taint.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tolerations, taint),
  ).length;
}
