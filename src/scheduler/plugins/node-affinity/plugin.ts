/**
 * NodeAffinity: the filter enforces nodeSelector and required node affinity;
 * the score sums the weights of the preferred terms a node matches, scaled
 * so the best node gets 100.
 */
import type { Node } from "kubernetes-types/core/v1.js";
import {
  compilePreferredSchedulingTerms,
  requiredNodeAffinity,
} from "../../../machinery/labels/index.js";
import { stateKey } from "../../framework/cycle-state.js";
import {
  defaultNormalizeScores,
  type FilterPlugin,
  type ScorePlugin,
} from "../../framework/interface.js";
import { errorStatus, SKIP, SUCCESS, unresolvable } from "../../framework/status.js";
import { PluginNames } from "../names.js";

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

type Scorer = ReturnType<typeof compilePreferredSchedulingTerms>;
type Required = ReturnType<typeof requiredNodeAffinity>;
const requiredKey = stateKey<Required>("PreFilterNodeAffinity");
const preferredKey = stateKey<Scorer>("PreScoreNodeAffinity");

export function nodeAffinity(): FilterPlugin & ScorePlugin {
  return {
    name: PluginNames.NodeAffinity,
    events: [
      {
        event: { resource: "Node", actions: ["Add", "Update"] },
        hint: (pod, { oldObj, newObj }) => {
          const next = newObj as Node | undefined;
          if (!next) return "QueueSkip";
          const required = requiredNodeAffinity(pod);
          if (!required.match(next).matches) return "QueueSkip";
          const prev = oldObj as Node | undefined;
          return prev && required.match(prev).matches ? "QueueSkip" : "Queue";
        },
      },
    ],
    preFilter(ctx) {
      // Nothing to enforce: upstream skips the filter for such pods.
      const spec = ctx.pod.spec;
      if (
        Object.keys(spec?.nodeSelector ?? {}).length === 0 &&
        !spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ) {
        return SKIP;
      }
      ctx.state.write(requiredKey, requiredNodeAffinity(ctx.pod));
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const required = ctx.state.read(requiredKey) ?? requiredNodeAffinity(ctx.pod);
      return required.match(nodeInfo.node).matches ? SUCCESS : unresolvable(ERR_REASON_POD);
    },
    preScore(ctx) {
      const terms =
        ctx.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (terms.length === 0) return SKIP;
      try {
        ctx.state.write(preferredKey, compilePreferredSchedulingTerms(terms));
      } catch (err) {
        return errorStatus(err instanceof Error ? err.message : String(err));
      }
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      let scorer = ctx.state.read(preferredKey);
      if (!scorer) {
        const terms =
          ctx.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
        scorer = compilePreferredSchedulingTerms(terms ?? []);
      }
      return scorer.score(nodeInfo.node);
    },
    normalizeScores: (_ctx, scores) => defaultNormalizeScores(scores),
  };
}
