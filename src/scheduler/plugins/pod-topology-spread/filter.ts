/**
 * DoNotSchedule spreading: placing the pod in a domain must keep
 * (pods matching in that domain + 1 if the pod matches itself − the global
 * minimum over eligible domains) within maxSkew.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
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

export interface SpreadFilterState {
  readonly constraints: readonly SpreadConstraint[];
  /** Per constraint: topology value → matching pods in that domain. */
  readonly matchNum: readonly ReadonlyMap<string, number>[];
}

export function computeFilterState(pod: Pod, snapshot: Snapshot): SpreadFilterState {
  const constraints = compileConstraints(pod, "DoNotSchedule");
  if (constraints.length === 0) return { constraints, matchNum: [] };
  const matchNum = constraints.map(() => new Map<string, number>());
  const namespace = podNamespace(pod);
  for (const nodeInfo of snapshot.nodeInfos) {
    if (!hasAllTopologyKeys(nodeInfo.node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, { pod, node: nodeInfo.node })) return;
      const value = nodeInfo.labels[c.topologyKey] ?? "";
      const counts = matchNum[i];
      if (!counts) return;
      const n = countMatchingPods(nodeInfo.pods, { selector: c.selector, namespace });
      counts.set(value, (counts.get(value) ?? 0) + n);
    });
  }
  return { constraints, matchNum };
}

/** The global minimum, or 0 when fewer than minDomains domains are eligible. */
function minMatchNum(counts: ReadonlyMap<string, number>, minDomains: number): number {
  if (counts.size < minDomains) return 0;
  return Math.min(...counts.values());
}

export type SpreadVerdict = "fits" | "skew" | "missingLabel";

export function checkSpread(
  state: SpreadFilterState,
  input: { readonly pod: Pod; readonly nodeInfo: NodeInfo },
): SpreadVerdict {
  const podLabels = input.pod.metadata?.labels ?? {};
  for (const [i, c] of state.constraints.entries()) {
    const value = input.nodeInfo.labels[c.topologyKey];
    if (value === undefined) return "missingLabel";
    const counts = state.matchNum[i] ?? new Map<string, number>();
    const self = c.selector.matches(podLabels) ? 1 : 0;
    const skew = (counts.get(value) ?? 0) + self - minMatchNum(counts, c.minDomains);
    if (skew > c.maxSkew) return "skew";
  }
  return "fits";
}
