import type { Node, Pod } from "kubernetes-types/core/v1.js";

/** A pod with `spec.nodeName` set fits only that node. */
export function fitsNodeName(pod: Pod, node: Node): boolean {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === node.metadata?.name;
}
