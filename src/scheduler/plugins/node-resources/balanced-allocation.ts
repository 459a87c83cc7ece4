import { MAX_NODE_SCORE } from "../../framework/interface.js";

/**
 * BalancedAllocation: 100 × (1 − the standard deviation of the requested
 * fractions), each fraction capped at 1, so a node whose CPU and memory fill
 * evenly scores higher. With two resources the deviation is |f1 − f2| / 2.
 */
export function balancedAllocationScore(input: {
  readonly requested: readonly number[];
  readonly allocatable: readonly number[];
}): number {
  const fractions: number[] = [];
  input.requested.forEach((req, i) => {
    const alloc = input.allocatable[i] ?? 0;
    if (alloc === 0) return;
    fractions.push(Math.min(req / alloc, 1));
  });
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const sum = fractions.reduce((a, f) => a + (f - mean) * (f - mean), 0);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
