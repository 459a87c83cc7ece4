/** NodeName: honours a pod's `spec.nodeName`. */
import type { FilterPlugin } from "../../framework/interface.js";
import { SUCCESS, unresolvable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { fitsNodeName } from "./predicate.js";

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeName(): FilterPlugin {
  return {
    name: PluginNames.NodeName,
    events: [{ event: { resource: "Node", actions: ["Add", "Update"] } }],
    filter: (ctx, nodeInfo) =>
      fitsNodeName(ctx.pod, nodeInfo.node) ? SUCCESS : unresolvable(ERR_REASON_NODE_NAME),
  };
}
