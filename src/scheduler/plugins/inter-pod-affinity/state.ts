/**
 * InterPodAffinity's PreFilter arithmetic: for each topology pair, how many
 * existing pods the incoming pod's required terms select, and how many
 * existing pods' required anti-affinity terms select the incoming pod.
 */
import type { Labels } from "../../../machinery/labels/index.js";
import type { CycleContext } from "../../framework/interface.js";
import type { NodeInfo } from "../../framework/node-info.js";
import {
  type AffinityTerm,
  affinityTermMatches,
  type PodInfo,
  podNamespace,
} from "../../framework/pod-info.js";
import { TopologyCounts } from "../../framework/topology-counts.js";

export interface AffinityState {
  readonly podInfo: PodInfo;
  /** Pairs where an existing pod's required anti-affinity selects the incoming pod. */
  readonly existingAntiAffinityCounts: TopologyCounts;
  /** Pairs holding existing pods that match all the incoming pod's required affinity terms. */
  readonly affinityCounts: TopologyCounts;
  /** Pairs holding existing pods matched by an incoming required anti-affinity term. */
  readonly antiAffinityCounts: TopologyCounts;
}

export function namespaceLabelsOf(ctx: CycleContext, namespace: string): Labels | undefined {
  return ctx.lookups.namespaceLabels?.(namespace);
}

function bump(counts: TopologyCounts, input: { node: NodeInfo; term: AffinityTerm }): void {
  const value = input.node.labels[input.term.topologyKey];
  if (value !== undefined) counts.add(input.term.topologyKey, { value, n: 1 });
}

/** Whether the pod matches every term (false for no terms), as upstream's podMatchesAllAffinityTerms. */
export function matchesAllTerms(
  terms: readonly AffinityTerm[],
  target: { pod: PodInfo["pod"]; namespaceLabels: Labels | undefined },
): boolean {
  return terms.length > 0 && terms.every((t) => affinityTermMatches(t, target));
}

export function computeAffinityState(ctx: CycleContext): AffinityState {
  const { podInfo, snapshot } = ctx;
  const incoming = { pod: ctx.pod, namespaceLabels: namespaceLabelsOf(ctx, podNamespace(ctx.pod)) };
  const existingAntiAffinityCounts = new TopologyCounts();
  for (const node of snapshot.havePodsWithRequiredAntiAffinity()) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const term of existing.requiredAntiAffinityTerms) {
        if (affinityTermMatches(term, incoming)) bump(existingAntiAffinityCounts, { node, term });
      }
    }
  }
  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  const affinityTerms = podInfo.requiredAffinityTerms;
  const antiTerms = podInfo.requiredAntiAffinityTerms;
  if (affinityTerms.length + antiTerms.length > 0) {
    for (const node of snapshot.nodeInfos) {
      for (const existing of node.pods) {
        const target = {
          pod: existing.pod,
          namespaceLabels: namespaceLabelsOf(ctx, podNamespace(existing.pod)),
        };
        if (matchesAllTerms(affinityTerms, target)) {
          for (const term of affinityTerms) bump(affinityCounts, { node, term });
        }
        for (const term of antiTerms) {
          if (affinityTermMatches(term, target)) bump(antiAffinityCounts, { node, term });
        }
      }
    }
  }
  return { podInfo, existingAntiAffinityCounts, affinityCounts, antiAffinityCounts };
}
