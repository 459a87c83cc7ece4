/**
 * PodTopologySpread: DoNotSchedule constraints filter, ScheduleAnyway ones
 * score. Upstream's cluster-level default constraints (system defaulting)
 * are not applied: a pod without constraints is neither filtered nor scored.
 */
import { stateKey } from "../../framework/cycle-state.js";
import type { FilterPlugin, ScorePlugin } from "../../framework/interface.js";
import { SKIP, SUCCESS, unresolvable, unschedulable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { checkSpread, computeFilterState, type SpreadFilterState } from "./filter.js";
import {
  computeScoreState,
  normalizeSpreadScores,
  type SpreadScoreState,
  spreadScore,
} from "./score.js";

export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const filterKey = stateKey<SpreadFilterState>("PreFilterPodTopologySpread");
const scoreKey = stateKey<SpreadScoreState>("PreScorePodTopologySpread");

export function podTopologySpread(): FilterPlugin & ScorePlugin {
  return {
    name: PluginNames.PodTopologySpread,
    events: [
      { event: { resource: "Pod", actions: ["Add", "UpdatePodLabel", "Delete"] } },
      {
        event: {
          resource: "Node",
          actions: ["Add", "Delete", "UpdateNodeLabel", "UpdateNodeTaint"],
        },
      },
    ],
    preFilter(ctx) {
      const state = computeFilterState(ctx.pod, ctx.snapshot);
      if (state.constraints.length === 0) return SKIP;
      ctx.state.write(filterKey, state);
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const state = ctx.state.read(filterKey) ?? computeFilterState(ctx.pod, ctx.snapshot);
      switch (checkSpread(state, { pod: ctx.pod, nodeInfo })) {
        case "missingLabel":
          return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        case "skew":
          return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
        default:
          return SUCCESS;
      }
    },
    preScore(ctx, nodes) {
      const state = computeScoreState(ctx.pod, { snapshot: ctx.snapshot, feasible: nodes });
      if (!state) return SKIP;
      ctx.state.write(scoreKey, state);
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      const state = ctx.state.read(scoreKey);
      return state ? spreadScore(state, { pod: ctx.pod, nodeInfo }) : 0;
    },
    normalizeScores(ctx, scores) {
      const state = ctx.state.read(scoreKey);
      return state ? normalizeSpreadScores(state, scores) : [...scores];
    },
  };
}
