import type { Node, NodeCondition, Taint } from "kubernetes-types/core/v1.js";
import type { Lease } from "../../../src/client/leaderelection/leader-election.js";

export const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A node with these Ready-style conditions ({type: status}), heartbeats at `heartbeat`. */
export function node(
  name: string,
  opts: {
    conditions?: Record<string, string>;
    heartbeat?: number;
    created?: number;
    taints?: Taint[];
    labels?: Record<string, string>;
    unschedulable?: boolean;
  } = {},
): Node {
  const conditions: NodeCondition[] = Object.entries(opts.conditions ?? {}).map(
    ([type, status]) => ({
      type,
      status,
      reason: "Kubelet",
      message: "from the kubelet",
      lastHeartbeatTime: iso(opts.heartbeat ?? 0),
      lastTransitionTime: iso(0),
    }),
  );
  return {
    metadata: {
      name,
      creationTimestamp: iso(opts.created ?? 0),
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    spec: {
      ...(opts.taints ? { taints: opts.taints } : {}),
      ...(opts.unschedulable ? { unschedulable: true } : {}),
    },
    status: { conditions },
  };
}

export const healthy = {
  Ready: "True",
  MemoryPressure: "False",
  DiskPressure: "False",
  PIDPressure: "False",
};

export function lease(name: string, renewMs: number): Lease {
  return {
    metadata: { name, namespace: "kube-node-lease" },
    spec: { holderIdentity: name, renewTime: new Date(renewMs).toISOString() },
  };
}
