import type { Node, Pod } from "kubernetes-types/core/v1.js";
import {
  compilePreferredSchedulingTerms,
  requiredNodeAffinity,
} from "../../../machinery/labels/index.js";

/**
 * Whether the node satisfies `spec.nodeSelector` and the required node
 * affinity. Terms that fail to parse count as not matching (the pod was
 * admitted, so upstream ignores the error).
 */
export function fitsNodeAffinity(pod: Pod, node: Node): boolean {
  return requiredNodeAffinity(pod).match(node).matches;
}

/** The sum of the weights of the preferred terms the node matches; throws on invalid terms. */
export function preferredNodeAffinityScore(pod: Pod, node: Node): number {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return compilePreferredSchedulingTerms(terms ?? []).score(node);
}
