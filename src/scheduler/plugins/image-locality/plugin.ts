import type { ScorePlugin } from "../../framework/interface.js";
import { PluginNames } from "../names.js";
import { imageLocalityScore, sumImageScores } from "./score.js";

export function imageLocality(): ScorePlugin {
  return {
    name: PluginNames.ImageLocality,
    score(ctx, nodeInfo) {
      const spec = ctx.pod.spec;
      const numContainers = (spec?.initContainers?.length ?? 0) + (spec?.containers.length ?? 0);
      const sum = sumImageScores(nodeInfo, { pod: ctx.pod, totalNodes: ctx.snapshot.size });
      return imageLocalityScore(sum, numContainers);
    },
  };
}
