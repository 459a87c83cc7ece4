/**
 * Choosing among nodes where preemption works (upstream's
 * pickOneNodeForPreemption): each rule keeps only the best nodes and the
 * first rule that leaves one node decides.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { podPriority } from "../framework/pod-info.js";
import { earliestStartOfHighestPriority } from "./pod-order.js";

export interface Candidate {
  readonly nodeName: string;
  /** Most important first. */
  readonly victims: readonly Pod[];
  readonly numPDBViolations: number;
}

/** Offset that keeps every priority positive before summing, as upstream (MaxInt32 + 1). */
const PRIORITY_OFFSET = 2 ** 31;

/** Higher is better, applied in order. */
const RULES: readonly ((c: Candidate) => number)[] = [
  // 1. Fewest PodDisruptionBudget violations.
  (c) => -c.numPDBViolations,
  // 2. The lowest "highest victim priority".
  (c) => -Math.max(...c.victims.map(podPriority)),
  // 3. The smallest sum of victim priorities.
  (c) => -c.victims.reduce((sum, p) => sum + podPriority(p) + PRIORITY_OFFSET, 0),
  // 4. The fewest victims.
  (c) => -c.victims.length,
  // 5. The latest start among the highest-priority victims (disturb the newest work).
  (c) => earliestStartOfHighestPriority(c.victims),
];

export function pickOneCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  const free = candidates.find((c) => c.victims.length === 0);
  if (free) return free;
  let remaining = [...candidates];
  for (const rule of RULES) {
    if (remaining.length <= 1) break;
    const scores = remaining.map(rule);
    const best = Math.max(...scores);
    remaining = remaining.filter((_, i) => scores[i] === best);
  }
  return remaining[0];
}
