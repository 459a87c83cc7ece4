/**
 * InterPodAffinity's preferred-term arithmetic: every existing pod adds its
 * weight to the topology domain of its node when the incoming pod's preferred
 * terms select it (anti-affinity subtracts), and likewise for the existing
 * pod's own preferred terms and (at hardPodAffinityWeight) its required
 * affinity terms that select the incoming pod.
 */
import type { Labels } from "../../../machinery/labels/index.js";
import type { CycleContext, NodeScore } from "../../framework/interface.js";
import { MAX_NODE_SCORE } from "../../framework/interface.js";
import type { NodeInfo } from "../../framework/node-info.js";
import {
  type AffinityTerm,
  affinityTermMatches,
  type PodInfo,
  podNamespace,
} from "../../framework/pod-info.js";
import { TopologyCounts } from "../../framework/topology-counts.js";
import { namespaceLabelsOf } from "./state.js";

/** Upstream's default InterPodAffinityArgs.hardPodAffinityWeight. */
export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

export function hasPreferredConstraints(podInfo: PodInfo): boolean {
  return podInfo.preferredAffinityTerms.length + podInfo.preferredAntiAffinityTerms.length > 0;
}

interface Target {
  readonly pod: PodInfo["pod"];
  readonly namespaceLabels: Labels | undefined;
}

function addTerm(
  scores: TopologyCounts,
  input: { term: AffinityTerm; weight: number; target: Target; node: NodeInfo },
): void {
  if (!affinityTermMatches(input.term, input.target)) return;
  const value = input.node.labels[input.term.topologyKey];
  if (value !== undefined) scores.add(input.term.topologyKey, { value, n: input.weight });
}

function hasLabels(node: NodeInfo): boolean {
  for (const _ in node.labels) return true;
  return false;
}

/** Whether an existing pod has terms that can score the incoming pod (anti-affinity alone has none). */
function canScoreIncoming(existing: PodInfo, hardPodAffinityWeight: number): boolean {
  return (
    (hardPodAffinityWeight > 0 && existing.requiredAffinityTerms.length > 0) ||
    existing.preferredAffinityTerms.length > 0 ||
    existing.preferredAntiAffinityTerms.length > 0
  );
}

/** Scores per topology pair, or undefined when nothing can contribute (PreScore Skip). */
export function computeTopologyScores(
  ctx: CycleContext,
  opts: { readonly hardPodAffinityWeight: number },
): TopologyCounts | undefined {
  const { podInfo, snapshot } = ctx;
  const hasConstraints = hasPreferredConstraints(podInfo);
  const nodes = hasConstraints ? snapshot.nodeInfos : snapshot.havePodsWithAffinity();
  if (!hasConstraints && nodes.length === 0) return undefined;
  const incoming: Target = {
    pod: ctx.pod,
    namespaceLabels: namespaceLabelsOf(ctx, podNamespace(ctx.pod)),
  };
  const scores = new TopologyCounts();
  for (const node of nodes) {
    if (!hasLabels(node)) continue;
    const pods = hasConstraints ? node.pods : node.podsWithAffinity;
    for (const existing of pods) {
      // Without preferred terms of its own, the incoming pod is scored only
      // by existing pods' required affinity and preferred terms.
      if (!hasConstraints && !canScoreIncoming(existing, opts.hardPodAffinityWeight)) continue;
      const target: Target = {
        pod: existing.pod,
        namespaceLabels: namespaceLabelsOf(ctx, podNamespace(existing.pod)),
      };
      for (const t of podInfo.preferredAffinityTerms) {
        addTerm(scores, { term: t, weight: t.weight, target, node });
      }
      for (const t of podInfo.preferredAntiAffinityTerms) {
        addTerm(scores, { term: t, weight: -t.weight, target, node });
      }
      if (opts.hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) {
          addTerm(scores, { term: t, weight: opts.hardPodAffinityWeight, target: incoming, node });
        }
      }
      for (const t of existing.preferredAffinityTerms) {
        addTerm(scores, { term: t, weight: t.weight, target: incoming, node });
      }
      for (const t of existing.preferredAntiAffinityTerms) {
        addTerm(scores, { term: t, weight: -t.weight, target: incoming, node });
      }
    }
  }
  return scores;
}

/** Min-max scaling onto 0..100 (all equal scores become 0), truncating as upstream. */
export function normalizeAffinityScores(scores: readonly NodeScore[]): NodeScore[] {
  if (scores.length === 0) return [];
  const min = Math.min(...scores.map((s) => s.score));
  const max = Math.max(...scores.map((s) => s.score));
  const diff = max - min;
  return scores.map((s) => ({
    name: s.name,
    score: diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0,
  }));
}
