/**
 * Cluster events that can make a rejected pod schedulable again (upstream's
 * ClusterEvent / EventsToRegister / QueueingHint). Each plugin lists the
 * events that could undo its own rejections; the queue moves a pod back to
 * active only on an event one of its rejecting plugins registered.
 */
import type { Node, Pod } from "kubernetes-types/core/v1.js";

export type EventResource =
  | "Pod"
  | "Node"
  | "PersistentVolume"
  | "PersistentVolumeClaim"
  | "StorageClass"
  | "CSINode"
  | "CSIDriver"
  | "CSIStorageCapacity"
  | "Namespace";

export type ActionType =
  | "Add"
  | "Delete"
  /** Any update (matches every Update* below). */
  | "Update"
  | "UpdateNodeAllocatable"
  | "UpdateNodeLabel"
  | "UpdateNodeTaint"
  | "UpdateNodeCondition"
  | "UpdateNodeAnnotation"
  | "UpdatePodLabel"
  | "UpdatePodScaleDown"
  | "UpdatePodTolerations"
  | "UpdatePodSchedulingGatesEliminated";

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly actions: readonly ActionType[];
}

export type QueueingHint = "Queue" | "QueueSkip";

/**
 * Decides, for one rejected pod, whether an event is worth a retry. `oldObj`
 * is absent for Add, `newObj` for Delete.
 */
export type QueueingHintFn = (
  pod: Pod,
  change: { readonly oldObj?: unknown; readonly newObj?: unknown },
) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: ClusterEvent;
  readonly hint?: QueueingHintFn;
}

/** Whether an event that happened (one resource, one action) is one the registration covers. */
export function eventMatches(
  registered: ClusterEvent,
  happened: { readonly resource: EventResource; readonly action: ActionType },
): boolean {
  if (registered.resource !== happened.resource) return false;
  return registered.actions.some(
    (a) => a === happened.action || (a === "Update" && happened.action.startsWith("Update")),
  );
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * What a node update changed, as action types (upstream's nodeSchedulingPropertiesChange).
 * A change of `spec.unschedulable` counts as a taint change, as upstream does.
 */
export function nodeUpdateActions(oldNode: Node, newNode: Node): ActionType[] {
  const out: ActionType[] = [];
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) {
    out.push("UpdateNodeAllocatable");
  }
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) out.push("UpdateNodeLabel");
  if (
    !same(oldNode.spec?.taints, newNode.spec?.taints) ||
    (oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)
  ) {
    out.push("UpdateNodeTaint");
  }
  const conditions = (n: Node) =>
    (n.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status }));
  if (!same(conditions(oldNode), conditions(newNode))) out.push("UpdateNodeCondition");
  if (!same(oldNode.metadata?.annotations, newNode.metadata?.annotations)) {
    out.push("UpdateNodeAnnotation");
  }
  return out;
}

/** What a pod update changed, as action types. */
export function podUpdateActions(oldPod: Pod, newPod: Pod): ActionType[] {
  const out: ActionType[] = [];
  if (!same(oldPod.metadata?.labels, newPod.metadata?.labels)) out.push("UpdatePodLabel");
  if (!same(oldPod.spec?.tolerations, newPod.spec?.tolerations)) out.push("UpdatePodTolerations");
  if (
    (oldPod.spec?.schedulingGates?.length ?? 0) > 0 &&
    (newPod.spec?.schedulingGates?.length ?? 0) === 0
  ) {
    out.push("UpdatePodSchedulingGatesEliminated");
  }
  return out;
}
