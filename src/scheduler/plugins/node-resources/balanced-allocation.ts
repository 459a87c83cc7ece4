import { MAX_NODE_SCORE } from "../../framework/interface.js";

type Vectors = { readonly requested: readonly number[]; readonly allocatable: readonly number[] };

/** The requested fraction of resource i, capped at 1 (allocatable must be non-zero). */
function fraction(v: Vectors, i: number): number {
  return Math.min((v.requested[i] ?? 0) / (v.allocatable[i] ?? 0), 1);
}

/**
 * BalancedAllocation: 100 × (1 − the standard deviation of the requested
 * fractions), each fraction capped at 1, so a node whose CPU and memory fill
 * evenly scores higher. With two resources the deviation is |f1 − f2| / 2.
 */
export function balancedAllocationScore(input: {
  readonly requested: readonly number[];
  readonly allocatable: readonly number[];
}): number {
  const { requested, allocatable } = input;
  // No array of fractions is built: this runs for every feasible node of every cycle.
  let n = 0;
  let first = 0;
  let second = 0;
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if ((allocatable[i] ?? 0) === 0) continue;
    const f = fraction(input, i);
    if (n === 0) first = f;
    else if (n === 1) second = f;
    total += f;
    n++;
  }
  let std = 0;
  if (n === 2) {
    std = Math.abs((first - second) / 2);
  } else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if ((allocatable[i] ?? 0) === 0) continue;
      const f = fraction(input, i);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
