/**
 * InterPodAffinity: required pod affinity and anti-affinity (both the
 * incoming pod's and existing pods' anti-affinity against it) per topology
 * domain, and a score from preferred terms.
 */
import { stateKey } from "../../framework/cycle-state.js";
import type { FilterPlugin, ScorePlugin } from "../../framework/interface.js";
import { podNamespace } from "../../framework/pod-info.js";
import { errorStatus, SKIP, SUCCESS, unresolvable, unschedulable } from "../../framework/status.js";
import type { TopologyCounts } from "../../framework/topology-counts.js";
import { PluginNames } from "../names.js";
import {
  satisfiesExistingPodsAntiAffinity,
  satisfiesPodAffinity,
  satisfiesPodAntiAffinity,
} from "./predicate.js";
import {
  computeTopologyScores,
  DEFAULT_HARD_POD_AFFINITY_WEIGHT,
  normalizeAffinityScores,
} from "./score.js";
import { type AffinityState, computeAffinityState, namespaceLabelsOf } from "./state.js";

export const ERR_REASON_EXISTING_ANTI_AFFINITY =
  "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const filterKey = stateKey<AffinityState>("PreFilterInterPodAffinity");
const scoreKey = stateKey<TopologyCounts>("PreScoreInterPodAffinity");

export interface InterPodAffinityArgs {
  /** Weight of an existing pod's required affinity term in scoring; default 1. */
  readonly hardPodAffinityWeight?: number;
}

export function interPodAffinity(args: InterPodAffinityArgs = {}): FilterPlugin & ScorePlugin {
  const hardPodAffinityWeight = args.hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT;
  return {
    name: PluginNames.InterPodAffinity,
    events: [
      { event: { resource: "Pod", actions: ["Add", "UpdatePodLabel", "Delete"] } },
      { event: { resource: "Node", actions: ["Add", "UpdateNodeLabel"] } },
    ],
    preFilter(ctx) {
      const { podInfo } = ctx;
      if (podInfo.parseErrors.length > 0) {
        return errorStatus(`parsing pod: ${podInfo.parseErrors.map((e) => e.message).join("; ")}`);
      }
      const required =
        podInfo.requiredAffinityTerms.length + podInfo.requiredAntiAffinityTerms.length;
      if (required === 0 && !ctx.snapshot.anyPodWithRequiredAntiAffinity()) {
        return SKIP;
      }
      ctx.state.write(filterKey, computeAffinityState(ctx));
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const state = ctx.state.read(filterKey) ?? computeAffinityState(ctx);
      const ownNamespaceLabels = namespaceLabelsOf(ctx, podNamespace(ctx.pod));
      if (!satisfiesPodAffinity(state, { nodeInfo, ownNamespaceLabels })) {
        return unresolvable(ERR_REASON_AFFINITY);
      }
      if (!satisfiesPodAntiAffinity(state, nodeInfo))
        return unschedulable(ERR_REASON_ANTI_AFFINITY);
      if (!satisfiesExistingPodsAntiAffinity(state, nodeInfo)) {
        return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
      return SUCCESS;
    },
    preScore(ctx) {
      const scores = computeTopologyScores(ctx, { hardPodAffinityWeight });
      // Nothing scored anywhere: every node would get 0 (upstream skips too).
      if (!scores || scores.size === 0) return SKIP;
      ctx.state.write(scoreKey, scores);
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      const scores =
        ctx.state.read(scoreKey) ?? computeTopologyScores(ctx, { hardPodAffinityWeight });
      return scores?.sumForLabels(nodeInfo.labels) ?? 0;
    },
    normalizeScores(ctx, scores) {
      const topology = ctx.state.read(scoreKey);
      if (!topology || topology.size === 0) return scores.map((s) => ({ ...s, score: 0 }));
      return normalizeAffinityScores(scores);
    },
  };
}
