import type { Node, Pod, Taint, Toleration } from "kubernetes-types/core/v1.js";
import {
  findUntoleratedTaint,
  isHardTaint,
  tolerationsTolerateTaint,
} from "../../framework/tolerations.js";

/** The first NoSchedule/NoExecute taint of the node the pod does not tolerate. */
export function untoleratedTaint(pod: Pod, node: Node): Taint | undefined {
  const taints = node.spec?.taints;
  if (taints === undefined || taints.length === 0) return undefined;
  return findUntoleratedTaint(taints, {
    tolerations: pod.spec?.tolerations,
    include: isHardTaint,
  });
}

/** How many PreferNoSchedule taints the pod does not tolerate (only its PreferNoSchedule or effect-less tolerations count). */
export function countIntolerableSoftTaints(pod: Pod, node: Node): number {
  if (!node.spec?.taints?.length) return 0;
  const tolerations: Toleration[] = (pod.spec?.tolerations ?? []).filter(
    (t) => !t.effect || t.effect === "PreferNoSchedule",
  );
  return (node.spec?.taints ?? []).filter(
    (taint) => taint.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tolerations, taint),
  ).length;
}
