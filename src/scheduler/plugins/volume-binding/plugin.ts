/** VolumeBinding (bound claims and WaitForFirstConsumer only; see predicate.ts). */
import { stateKey } from "../../framework/cycle-state.js";
import type { FilterPlugin } from "../../framework/interface.js";
import { SKIP, SUCCESS, unresolvable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import {
  type ClaimsVerdict,
  classifyClaims,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  volumeFitsNode,
} from "./predicate.js";

const claimsKey = stateKey<Extract<ClaimsVerdict, { kind: "ok" }>>("PreFilterVolumeBinding");

export function volumeBinding(): FilterPlugin {
  return {
    name: PluginNames.VolumeBinding,
    events: [
      { event: { resource: "StorageClass", actions: ["Add", "Update"] } },
      { event: { resource: "PersistentVolumeClaim", actions: ["Add", "Update"] } },
      { event: { resource: "PersistentVolume", actions: ["Add", "Update"] } },
      { event: { resource: "Node", actions: ["Add", "UpdateNodeLabel", "UpdateNodeTaint"] } },
      { event: { resource: "CSINode", actions: ["Add", "Update"] } },
    ],
    preFilter(ctx) {
      const verdict = classifyClaims(ctx.pod, ctx.lookups);
      if (verdict.kind === "none") return SKIP;
      if (verdict.kind === "rejected") return unresolvable(verdict.reason);
      ctx.state.write(claimsKey, verdict);
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const claims = ctx.state.read(claimsKey);
      if (!claims) return SUCCESS;
      for (const { pv } of claims.bound) {
        if (!pv) return unresolvable(ERR_REASON_PV_NOT_EXIST);
        if (!volumeFitsNode(pv, nodeInfo.node)) return unresolvable(ERR_REASON_NODE_CONFLICT);
      }
      return SUCCESS;
    },
  };
}
