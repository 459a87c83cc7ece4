import { stateKey } from "../../framework/cycle-state.js";
import type { ScorePlugin } from "../../framework/interface.js";
import { SUCCESS } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { imageLocalityScore, podImageNames, sumImageScores } from "./score.js";

/** The pod's normalised image names, computed once per cycle rather than once per node. */
const imagesKey = stateKey<readonly string[]>("PreScoreImageLocality");

export function imageLocality(): ScorePlugin {
  return {
    name: PluginNames.ImageLocality,
    preScore(ctx) {
      ctx.state.write(imagesKey, podImageNames(ctx.pod));
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      const images = ctx.state.read(imagesKey) ?? podImageNames(ctx.pod);
      const sum = sumImageScores(nodeInfo, { images, totalNodes: ctx.snapshot.size });
      return imageLocalityScore(sum, images.length);
    },
  };
}
