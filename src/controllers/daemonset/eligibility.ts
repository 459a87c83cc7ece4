import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Node, Pod, Taint } from "kubernetes-types/core/v1.js";
import { requiredNodeAffinity } from "../../machinery/labels/index.js";
import { findUntoleratedTaint, isHardTaint } from "../../scheduler/framework/tolerations.js";
import { UNSCHEDULABLE_TAINT } from "../../scheduler/plugins/node-unschedulable/predicate.js";
import { withDaemonTolerations } from "./tolerations.js";

/** Whether a node gets a daemon pod, and whether one already there may stay. */
export interface NodeFit {
  /** A daemon pod should be created here if there is none. */
  readonly shouldRun: boolean;
  /** A daemon pod already here may keep running. */
  readonly shouldContinueRunning: boolean;
}

/** The taints a node presents: its own plus, when cordoned, the unschedulable one. */
function nodeTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  if (node.spec?.unschedulable && !taints.some((t) => t.key === UNSCHEDULABLE_TAINT.key))
    taints.push({ ...UNSCHEDULABLE_TAINT });
  return taints;
}

/**
 * Upstream's NodeShouldRunDaemonPod, pure: the daemon pod the node would
 * get (template plus automatic tolerations) must name no other node, match
 * the nodeSelector and required node affinity, and tolerate every
 * NoSchedule/NoExecute taint. A pod already running may stay on a node
 * whose untolerated taints are only NoSchedule: that effect keeps new
 * pods off without evicting running ones.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const template = ds.spec?.template;
  const wanted = template?.spec?.nodeName;
  const name = node.metadata?.name ?? "";
  if (wanted && wanted !== name) return { shouldRun: false, shouldContinueRunning: false };
  const pod: Pod = { spec: withDaemonTolerations(template?.spec ?? { containers: [] }) };
  if (!requiredNodeAffinity(pod).match(node).matches)
    return { shouldRun: false, shouldContinueRunning: false };
  const taints = nodeTaints(node);
  const tolerations = pod.spec?.tolerations;
  if (!findUntoleratedTaint(taints, { tolerations, include: isHardTaint }))
    return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, {
    tolerations,
    include: (t) => t.effect === "NoExecute",
  });
  return { shouldRun: false, shouldContinueRunning: evicting === undefined };
}
