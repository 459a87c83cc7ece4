/** NodeUnschedulable: keeps pods off cordoned nodes unless they tolerate it. */
import type { Node } from "kubernetes-types/core/v1.js";
import type { FilterPlugin } from "../../framework/interface.js";
import { SUCCESS, unresolvable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { fitsUnschedulable } from "./predicate.js";

export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

export function nodeUnschedulable(): FilterPlugin {
  return {
    name: PluginNames.NodeUnschedulable,
    events: [
      {
        event: { resource: "Node", actions: ["Add", "UpdateNodeTaint"] },
        hint: (pod, { oldObj, newObj }) => {
          const next = newObj as Node | undefined;
          const prev = oldObj as Node | undefined;
          if (!next || !fitsUnschedulable(pod, next)) return "QueueSkip";
          return prev === undefined || !fitsUnschedulable(pod, prev) ? "Queue" : "QueueSkip";
        },
      },
    ],
    filter: (ctx, nodeInfo) =>
      fitsUnschedulable(ctx.pod, nodeInfo.node) ? SUCCESS : unresolvable(ERR_REASON_UNSCHEDULABLE),
  };
}
