/** The three InterPodAffinity checks of one node against the PreFilter counts. */
import type { NodeInfo } from "../../framework/node-info.js";
import type { AffinityState } from "./state.js";
import { matchesAllTerms } from "./state.js";

/**
 * Every required affinity term finds a matching pod in the node's topology
 * domain. The node must carry every term's topology key. Exception: when no
 * pod anywhere matches and the pod matches its own terms, it may start the group.
 */
export function satisfiesPodAffinity(
  state: AffinityState,
  input: {
    readonly nodeInfo: NodeInfo;
    readonly ownNamespaceLabels: Record<string, string> | undefined;
  },
): boolean {
  let podsExist = true;
  for (const term of state.podInfo.requiredAffinityTerms) {
    const value = input.nodeInfo.labels[term.topologyKey];
    if (value === undefined) return false;
    if (state.affinityCounts.get(term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return (
    state.affinityCounts.size === 0 &&
    matchesAllTerms(state.podInfo.requiredAffinityTerms, {
      pod: state.podInfo.pod,
      namespaceLabels: input.ownNamespaceLabels,
    })
  );
}

/** No required anti-affinity term of the pod finds a matching pod in the node's domain. */
export function satisfiesPodAntiAffinity(state: AffinityState, nodeInfo: NodeInfo): boolean {
  return !state.podInfo.requiredAntiAffinityTerms.some((term) => {
    const value = nodeInfo.labels[term.topologyKey];
    return value !== undefined && state.antiAffinityCounts.get(term.topologyKey, value) > 0;
  });
}

/** No existing pod's required anti-affinity covers the node's domains and selects the pod. */
export function satisfiesExistingPodsAntiAffinity(
  state: AffinityState,
  nodeInfo: NodeInfo,
): boolean {
  return !state.existingAntiAffinityCounts.anyPositiveForLabels(nodeInfo.labels);
}
