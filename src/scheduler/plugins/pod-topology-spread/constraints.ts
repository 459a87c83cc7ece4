/**
 * A pod's topology spread constraints compiled for one cycle, and the
 * counting rule shared by filter and score.
 */
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import {
  labelSelectorAsSelector,
  newRequirement,
  requiredNodeAffinity,
  type Selector,
} from "../../../machinery/labels/index.js";
import type { PodInfo } from "../../framework/pod-info.js";
import { podNamespace } from "../../framework/pod-info.js";
import { findUntoleratedTaint, isHardTaint } from "../../framework/tolerations.js";

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  /** Default 1. */
  readonly minDomains: number;
  /** Default Honor: only nodes matching the pod's node affinity/selector count. */
  readonly nodeAffinityPolicy: "Honor" | "Ignore";
  /** Default Ignore: tainted nodes count too. */
  readonly nodeTaintsPolicy: "Honor" | "Ignore";
}

export function compileConstraints(
  pod: Pod,
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway",
): SpreadConstraint[] {
  const labels = pod.metadata?.labels ?? {};
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === whenUnsatisfiable)
    .map((c) => {
      let selector = labelSelectorAsSelector(c.labelSelector);
      for (const key of c.matchLabelKeys ?? []) {
        const value = labels[key];
        if (value !== undefined) {
          selector = selector.add(newRequirement({ key, operator: "in", values: [value] }));
        }
      }
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        nodeAffinityPolicy: c.nodeAffinityPolicy === "Ignore" ? "Ignore" : "Honor",
        nodeTaintsPolicy: c.nodeTaintsPolicy === "Honor" ? "Honor" : "Ignore",
      };
    });
}

/** Whether the node carries every constraint's topology key. */
export function hasAllTopologyKeys(node: Node, constraints: readonly SpreadConstraint[]): boolean {
  const labels = node.metadata?.labels ?? {};
  return constraints.every((c) => labels[c.topologyKey] !== undefined);
}

/** Whether the node counts for this constraint under its node inclusion policies. */
export function nodeIncluded(
  c: SpreadConstraint,
  input: { readonly pod: Pod; readonly node: Node },
): boolean {
  if (
    c.nodeAffinityPolicy === "Honor" &&
    !requiredNodeAffinity(input.pod).match(input.node).matches
  ) {
    return false;
  }
  if (c.nodeTaintsPolicy === "Honor") {
    const taint = findUntoleratedTaint(input.node.spec?.taints, {
      tolerations: input.pod.spec?.tolerations,
      include: isHardTaint,
    });
    if (taint) return false;
  }
  return true;
}

/**
 * Pods in the namespace the selector matches, skipping terminating ones. An
 * empty selector counts nothing, as upstream.
 */
export function countMatchingPods(
  pods: readonly PodInfo[],
  input: { readonly selector: Selector; readonly namespace: string },
): number {
  if (input.selector.empty()) return 0;
  let n = 0;
  for (const { pod } of pods) {
    if (pod.metadata?.deletionTimestamp || podNamespace(pod) !== input.namespace) continue;
    if (input.selector.matches(pod.metadata?.labels ?? {})) n++;
  }
  return n;
}
