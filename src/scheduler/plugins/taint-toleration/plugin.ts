/**
 * TaintToleration: the filter rejects nodes with a NoSchedule/NoExecute taint
 * the pod does not tolerate; the score prefers nodes with fewer untolerated
 * PreferNoSchedule taints.
 */
import type { Node } from "kubernetes-types/core/v1.js";
import {
  defaultNormalizeScores,
  type FilterPlugin,
  type ScorePlugin,
} from "../../framework/interface.js";
import { SUCCESS, unresolvable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { countIntolerableSoftTaints, untoleratedTaint } from "./predicate.js";

/** Upstream's reason text: `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintReason(taint: { key: string; value?: string }): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
}

export function taintToleration(): FilterPlugin & ScorePlugin {
  return {
    name: PluginNames.TaintToleration,
    events: [
      {
        event: { resource: "Node", actions: ["Add", "Update"] },
        hint: (pod, { oldObj, newObj }) => {
          const next = newObj as Node | undefined;
          if (!next || untoleratedTaint(pod, next)) return "QueueSkip";
          const prev = oldObj as Node | undefined;
          return prev && !untoleratedTaint(pod, prev) ? "QueueSkip" : "Queue";
        },
      },
      { event: { resource: "Pod", actions: ["UpdatePodTolerations"] } },
    ],
    filter(ctx, nodeInfo) {
      const taint = untoleratedTaint(ctx.pod, nodeInfo.node);
      return taint ? unresolvable(untoleratedTaintReason(taint)) : SUCCESS;
    },
    score: (ctx, nodeInfo) => countIntolerableSoftTaints(ctx.pod, nodeInfo.node),
    normalizeScores: (_ctx, scores) => defaultNormalizeScores(scores, { reverse: true }),
  };
}
