/**
 * What pod traffic needs from iptables once pods on several nodes talk
 * to each other (flannel's FLANNEL-POSTRTG and FLANNEL-FWD roles): pod to
 * pod keeps its source address on any node, pod traffic leaving the
 * cluster CIDR is masqueraded to the node's address, and forwarding of
 * pod traffic is accepted even where the FORWARD policy is DROP. The
 * bridge plugin's own ipMasq would also masquerade traffic to other
 * nodes' pods, so the agent turns it off when these rules are in place.
 * Pure: restore input and the jumps from the built-in chains.
 */
import type { Jump } from "../../proxy/jumps.js";
import { comment } from "../../proxy/writer.js";

export const POD_MASQ_CHAIN = "K8TS-POSTRTG";
export const POD_FORWARD_CHAIN = "K8TS-FWD";

/** iptables-restore --noflush input that (re)writes both chains whole. */
export function podTrafficRules(clusterCIDR: string): string {
  const c = clusterCIDR;
  return `${[
    "*nat",
    `:${POD_MASQ_CHAIN} - [0:0]`,
    `-A ${POD_MASQ_CHAIN} -s ${c} -d ${c} ${comment("pod to pod keeps its address")} -j RETURN`,
    `-A ${POD_MASQ_CHAIN} -s ${c} ! -d 224.0.0.0/4 ${comment("pod traffic leaving the cluster")} -j MASQUERADE --random-fully`,
    "COMMIT",
    "*filter",
    `:${POD_FORWARD_CHAIN} - [0:0]`,
    `-A ${POD_FORWARD_CHAIN} -s ${c} ${comment("pod traffic out")} -j ACCEPT`,
    `-A ${POD_FORWARD_CHAIN} -d ${c} ${comment("pod traffic in")} -j ACCEPT`,
    "COMMIT",
  ].join("\n")}\n`;
}

/**
 * Appended below kube-proxy's jumps (Iptables.moveJumpsLast), as flannel
 * appends its own: pod traffic to a Service without endpoints must meet the
 * proxy's REJECT in FORWARD before this ACCEPT.
 */
export const POD_TRAFFIC_JUMPS: readonly Jump[] = [
  {
    table: "nat",
    from: "POSTROUTING",
    to: POD_MASQ_CHAIN,
    comment: "k8ts pod traffic masquerade",
    extra: [],
  },
  {
    table: "filter",
    from: "FORWARD",
    to: POD_FORWARD_CHAIN,
    comment: "k8ts pod traffic forwarding",
    extra: [],
  },
];
