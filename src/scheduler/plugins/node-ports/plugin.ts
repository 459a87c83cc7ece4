/** NodePorts: a host port (IP, protocol, port) can be bound by one pod per node. */
import type { ContainerPort, Pod } from "kubernetes-types/core/v1.js";
import { stateKey } from "../../framework/cycle-state.js";
import { HostPortInfo, podHostPorts } from "../../framework/host-ports.js";
import type { FilterPlugin } from "../../framework/interface.js";
import { SKIP, SUCCESS, unschedulable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { fitsPorts } from "./predicate.js";

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const wantedKey = stateKey<ContainerPort[]>("PreFilterNodePorts");

export function nodePorts(): FilterPlugin {
  return {
    name: PluginNames.NodePorts,
    events: [
      {
        event: { resource: "Pod", actions: ["Delete"] },
        hint: (pod, { oldObj }) => {
          const deleted = oldObj as Pod | undefined;
          if (!deleted?.spec?.nodeName) return "QueueSkip";
          const freed = new HostPortInfo();
          for (const p of podHostPorts(deleted)) freed.add(p);
          return fitsPorts(podHostPorts(pod), freed) ? "QueueSkip" : "Queue";
        },
      },
      { event: { resource: "Node", actions: ["Add", "Update"] } },
    ],
    preFilter(ctx) {
      const wanted = podHostPorts(ctx.pod);
      if (wanted.length === 0) return SKIP;
      ctx.state.write(wantedKey, wanted);
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const wanted = ctx.state.read(wantedKey) ?? podHostPorts(ctx.pod);
      return fitsPorts(wanted, nodeInfo.usedPorts) ? SUCCESS : unschedulable(ERR_REASON_PORTS);
    },
  };
}
