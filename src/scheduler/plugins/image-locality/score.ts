/**
 * ImageLocality: prefer nodes that already have the pod's images, by size,
 * discounted by how few nodes have them (so one node holding a popular image
 * does not attract everything).
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { MAX_NODE_SCORE } from "../../framework/interface.js";
import type { NodeInfo } from "../../framework/node-info.js";

const MB = 1024 * 1024;
/** Below this total nothing counts (the score is 0). */
export const MIN_THRESHOLD = 23 * MB;
/** Per container, sizes above this count as this. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** "nginx" → "nginx:latest"; names with a tag or digest are unchanged. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** The normalised image names of the pod's init containers and containers, in that order. */
export function podImageNames(pod: Pod): string[] {
  const names: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) names.push(normalizedImageName(c.image ?? ""));
  for (const c of pod.spec?.containers ?? []) names.push(normalizedImageName(c.image ?? ""));
  return names;
}

/** Sum over the images (normalised names, one per container) of size × (nodes having it / all nodes). */
export function sumImageScores(
  nodeInfo: NodeInfo,
  input: { readonly images: readonly string[]; readonly totalNodes: number },
): number {
  if (nodeInfo.imageStates.size === 0) return 0;
  let sum = 0;
  for (const image of input.images) {
    const state = nodeInfo.imageStates.get(image);
    if (state) sum += Math.trunc(state.size * (state.numNodes / input.totalNodes));
  }
  return sum;
}

/** Scale the sum between the thresholds onto 0..100. */
export function imageLocalityScore(sum: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
  if (maxThreshold <= MIN_THRESHOLD) return 0;
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}
