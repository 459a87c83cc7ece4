/**
 * ScheduleAnyway spreading as a score: fewer matching pods in the node's
 * domains is better, each constraint weighted by log(number of domains + 2)
 * so spreading over many small domains does not drown a few large ones.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { MAX_NODE_SCORE, type NodeScore } from "../../framework/interface.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { podNamespace } from "../../framework/pod-info.js";
import type { Snapshot } from "../../framework/snapshot.js";
import {
  compileConstraints,
  countMatchingPods,
  hasAllTopologyKeys,
  nodeIncluded,
  type SpreadConstraint,
} from "./constraints.js";

export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface SpreadScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Feasible nodes lacking some topology key: they score 0. */
  readonly ignoredNodes: ReadonlySet<string>;
  /** Per constraint (except hostname ones): topology value → matching pods. */
  readonly podCounts: readonly ReadonlyMap<string, number>[];
  readonly normalizingWeight: readonly number[];
}

/** undefined when the pod has no ScheduleAnyway constraints (PreScore Skip). */
export function computeScoreState(
  pod: Pod,
  input: { readonly snapshot: Snapshot; readonly feasible: readonly NodeInfo[] },
): SpreadScoreState | undefined {
  const constraints = compileConstraints(pod, "ScheduleAnyway");
  if (constraints.length === 0 || input.feasible.length === 0) return undefined;
  const ignoredNodes = new Set<string>();
  const podCounts = constraints.map(() => new Map<string, number>());
  for (const nodeInfo of input.feasible) {
    if (!hasAllTopologyKeys(nodeInfo.node, constraints)) {
      ignoredNodes.add(nodeInfo.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === HOSTNAME_LABEL) return;
      podCounts[i]?.set(nodeInfo.labels[c.topologyKey] ?? "", 0);
    });
  }
  const normalizingWeight = constraints.map((c, i) => {
    const size =
      c.topologyKey === HOSTNAME_LABEL
        ? input.feasible.length - ignoredNodes.size
        : (podCounts[i]?.size ?? 0);
    return Math.log(size + 2);
  });
  const namespace = podNamespace(pod);
  for (const nodeInfo of input.snapshot.nodeInfos) {
    if (!hasAllTopologyKeys(nodeInfo.node, constraints)) continue;
    constraints.forEach((c, i) => {
      const counts = podCounts[i];
      const value = nodeInfo.labels[c.topologyKey] ?? "";
      if (!counts?.has(value) || !nodeIncluded(c, { pod, node: nodeInfo.node })) return;
      const n = countMatchingPods(nodeInfo.pods, { selector: c.selector, namespace });
      counts.set(value, (counts.get(value) ?? 0) + n);
    });
  }
  return { constraints, ignoredNodes, podCounts, normalizingWeight };
}

export function spreadScore(
  state: SpreadScoreState,
  input: { readonly pod: Pod; readonly nodeInfo: NodeInfo },
): number {
  const { nodeInfo } = input;
  if (state.ignoredNodes.has(nodeInfo.name)) return 0;
  let score = 0;
  state.constraints.forEach((c, i) => {
    const value = nodeInfo.labels[c.topologyKey];
    if (value === undefined) return;
    const count =
      c.topologyKey === HOSTNAME_LABEL
        ? countMatchingPods(nodeInfo.pods, {
            selector: c.selector,
            namespace: podNamespace(input.pod),
          })
        : (state.podCounts[i]?.get(value) ?? 0);
    score += count * (state.normalizingWeight[i] ?? 0) + (c.maxSkew - 1);
  });
  return Math.round(score);
}

/** Fewer is better: 100 × (max + min − score) / max; ignored nodes get 0. */
export function normalizeSpreadScores(
  state: SpreadScoreState,
  scores: readonly NodeScore[],
): NodeScore[] {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const s of scores) {
    if (state.ignoredNodes.has(s.name)) continue;
    min = Math.min(min, s.score);
    max = Math.max(max, s.score);
  }
  return scores.map((s) => {
    if (state.ignoredNodes.has(s.name)) return { name: s.name, score: 0 };
    if (max === 0) return { name: s.name, score: MAX_NODE_SCORE };
    return { name: s.name, score: Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max) };
  });
}
