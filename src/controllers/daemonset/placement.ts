import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { isPodAvailable, isPodReady } from "../common/pod-state.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../history/revision.js";
import { targetNodeName } from "./affinity.js";
import type { NodeFit } from "./eligibility.js";
import { allowsSurge } from "./limits.js";

/** Why a daemon pod is to be deleted (the failed ones go through a backoff first). */
export type DeleteReason = "failed" | "succeeded" | "excess" | "misscheduled" | "orphaned";

export interface PodDeletion {
  readonly pod: Pod;
  readonly node: string;
  readonly reason: DeleteReason;
}

/** What the manage step does: nodes needing a pod, pods to delete. */
export interface DaemonPlan {
  readonly createOn: string[];
  readonly delete: PodDeletion[];
}

/**
 * Daemon pods by the node they are for (bound or targeted by affinity).
 * Terminal pods already being deleted are left out: nothing more is to
 * be done with them (upstream's getNodesToDaemonPods).
 */
export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if ((phase === "Failed" || phase === "Succeeded") && pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  return byNode;
}

/** Bound before unbound, then oldest first, then by name: the first is the one to keep. */
export function oldestFirst(a: Pod, b: Pod): number {
  const bound = (p: Pod) => (p.spec?.nodeName ? 0 : 1);
  if (bound(a) !== bound(b)) return bound(a) - bound(b);
  const ta = Date.parse(a.metadata?.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? "") || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
}

/**
 * The pods one node should gain or lose (upstream's podsShouldBeOnNode).
 * Without surge a node keeps its oldest live daemon pod; with surge it
 * may briefly keep one old and one new pod: the old one goes once the
 * new one is available, or at once when the old one is not ready.
 * Failed and succeeded pods are deleted (a replacement follows once they
 * are gone); a node that should not run the daemon loses every pod.
 */
export function podsShouldBeOnNode(
  node: string,
  opts: {
    fit: NodeFit;
    pods: readonly Pod[];
    hash: string;
    surge: boolean;
    minReadySeconds: number;
    now: number;
  },
): DaemonPlan {
  const { fit, pods } = opts;
  const plan: DaemonPlan = { createOn: [], delete: [] };
  const del = (pod: Pod, reason: DeleteReason) => plan.delete.push({ pod, node, reason });
  if (fit.shouldRun && pods.length === 0) {
    plan.createOn.push(node);
    return plan;
  }
  if (!fit.shouldContinueRunning) {
    for (const pod of pods) if (!pod.metadata?.deletionTimestamp) del(pod, "misscheduled");
    return plan;
  }
  const running: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const phase = pod.status?.phase;
    if (phase === "Failed") del(pod, "failed");
    else if (phase === "Succeeded") del(pod, "succeeded");
    else running.push(pod);
  }
  running.sort(oldestFirst);
  if (!opts.surge) {
    for (const extra of running.slice(1)) del(extra, "excess");
    return plan;
  }
  if (running.length === 0) {
    // Surging needs at least one live pod per node at all times.
    if (fit.shouldRun) plan.createOn.push(node);
    return plan;
  }
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of running) {
    const isNew = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === opts.hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else del(pod, "excess");
  }
  if (oldestNew && oldestOld) {
    const replaced =
      !isPodReady(oldestOld) || isPodAvailable(oldestNew, opts.minReadySeconds, opts.now);
    if (replaced) del(oldestOld, "excess");
  }
  return plan;
}

/**
 * The manage step over every node (upstream's manage): each node's plan,
 * plus unbound pods aimed at nodes that no longer exist — no scheduler
 * will ever bind them and no kubelet will ever run them. (Bound pods on
 * vanished nodes are the pod garbage collector's.)
 */
export function planDaemonPods(
  ds: DaemonSet,
  opts: {
    nodes: readonly Node[];
    byNode: ReadonlyMap<string, readonly Pod[]>;
    hash: string;
    fit: (node: Node) => NodeFit;
    now: number;
  },
): DaemonPlan {
  const plan: DaemonPlan = { createOn: [], delete: [] };
  const names = new Set<string>();
  const sorted = [...opts.nodes].sort((a, b) =>
    (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
  for (const node of sorted) {
    const name = node.metadata?.name ?? "";
    names.add(name);
    const p = podsShouldBeOnNode(name, {
      fit: opts.fit(node),
      pods: opts.byNode.get(name) ?? [],
      hash: opts.hash,
      surge: allowsSurge(ds),
      minReadySeconds: ds.spec?.minReadySeconds ?? 0,
      now: opts.now,
    });
    plan.createOn.push(...p.createOn);
    plan.delete.push(...p.delete);
  }
  for (const [node, pods] of opts.byNode) {
    if (names.has(node)) continue;
    for (const pod of pods)
      if (!pod.spec?.nodeName && !pod.metadata?.deletionTimestamp)
        plan.delete.push({ pod, node, reason: "orphaned" });
  }
  return plan;
}
