import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { parseTime } from "../job/time.js";
import { isNodeReady } from "../nodelifecycle/conditions.js";

/** The taint an admin puts on a node known to be down for good, to free its stuck pods. */
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

export const isPodTerminated = (pod: Pod) =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

const isEvicted = (pod: Pod) => pod.status?.phase === "Failed" && pod.status?.reason === "Evicted";

/**
 * Evicted pods first (they are the kubelet's leftovers, not anyone's
 * result), then oldest first, then by name.
 */
function byEvictionThenAge(a: Pod, b: Pod): number {
  if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
  const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
}

/**
 * The finished pods beyond `threshold` (--terminated-pod-gc-threshold),
 * the ones to delete: a threshold of 0 or less disables this.
 */
export function terminatedOverThreshold(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return terminated.sort(byEvictionThenAge).slice(0, excess);
}

/**
 * Terminating pods on a node that is not Ready and carries the
 * out-of-service taint: no kubelet will ever confirm their deletion.
 */
export function terminatingOutOfService(
  pods: readonly Pod[],
  nodes: ReadonlyMap<string, Node>,
): Pod[] {
  return pods
    .filter((pod) => {
      if (!pod.metadata?.deletionTimestamp) return false;
      const node = nodes.get(pod.spec?.nodeName ?? "");
      return (
        node !== undefined &&
        !isNodeReady(node) &&
        (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE)
      );
    })
    .sort(byEvictionThenAge);
}

/** Names of nodes that pods are bound to but that are not in `nodes`. */
export function missingNodes(pods: readonly Pod[], nodes: ReadonlyMap<string, Node>): Set<string> {
  const out = new Set<string>();
  for (const pod of pods) {
    const name = pod.spec?.nodeName;
    if (name && !nodes.has(name)) out.add(name);
  }
  return out;
}

/** Pods bound to one of `deletedNodes`. */
export function podsOnNodes(pods: readonly Pod[], deletedNodes: ReadonlySet<string>): Pod[] {
  return pods.filter((pod) => deletedNodes.has(pod.spec?.nodeName ?? ""));
}

/** Pods being deleted that were never scheduled: no kubelet will finish them. */
export function unscheduledTerminating(pods: readonly Pod[]): Pod[] {
  return pods.filter((pod) => pod.metadata?.deletionTimestamp && !pod.spec?.nodeName);
}
