import type { Node, NodeCondition } from "kubernetes-types/core/v1.js";
import { rfc3339 } from "../job/time.js";

/**
 * The conditions the kubelet owns and the controller declares Unknown when
 * the kubelet goes quiet. NetworkUnavailable is left alone: the control
 * plane (a route controller, a CNI) sets it, not the kubelet.
 */
export const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

export function nodeCondition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return nodeCondition(node, "Ready");
}

/** Ready=True. */
export function isNodeReady(node: Node): boolean {
  return readyCondition(node)?.status === "True";
}

/**
 * The node's conditions with every kubelet condition set to Unknown
 * (upstream's tryUpdateNodeHealth once the grace period has run out): a
 * condition the kubelet never posted is added as NodeStatusNeverUpdated, a
 * known one becomes NodeStatusUnknown with a new transition time; its
 * lastHeartbeatTime is kept, so the write is not mistaken for a heartbeat.
 * Undefined when all of them already are Unknown.
 */
export function unknownConditions(node: Node, now: number): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const current = conditions.find((c) => c.type === type);
    if (!current) {
      conditions.push({
        type,
        status: "Unknown",
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
        ...(node.metadata?.creationTimestamp
          ? { lastHeartbeatTime: node.metadata.creationTimestamp }
          : {}),
        lastTransitionTime: rfc3339(now),
      });
      changed = true;
    } else if (current.status !== "Unknown") {
      current.status = "Unknown";
      current.reason = "NodeStatusUnknown";
      current.message = "Kubelet stopped posting node status.";
      current.lastTransitionTime = rfc3339(now);
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
