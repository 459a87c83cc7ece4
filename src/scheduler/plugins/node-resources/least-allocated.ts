import { MAX_NODE_SCORE } from "../../framework/interface.js";
import type { ResourceSpec } from "./resource-allocation.js";

/** (capacity - requested) / capacity on 0..100, integer; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * LeastAllocated: the weighted mean (integer division) of each resource's
 * free fraction, favouring emptier nodes. Resources with no capacity are skipped.
 */
export function leastAllocatedScore(
  resources: readonly ResourceSpec[],
  input: { readonly requested: readonly number[]; readonly allocatable: readonly number[] },
): number {
  let score = 0;
  let weightSum = 0;
  for (let i = 0; i < resources.length; i++) {
    const alloc = input.allocatable[i] ?? 0;
    if (alloc === 0) continue;
    const weight = (resources[i] as ResourceSpec).weight;
    score += leastRequestedScore(input.requested[i] ?? 0, alloc) * weight;
    weightSum += weight;
  }
  return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
}
