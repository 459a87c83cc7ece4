import type { Pod } from "kubernetes-types/core/v1.js";
import { isPodReady, podCondition } from "./pod-state.js";

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount);
  return max;
}

function time(s: string | undefined): number {
  return s ? Date.parse(s) : Number.NEGATIVE_INFINITY;
}

/**
 * Orders pods from the one to delete first to the one to keep longest
 * (upstream's ActivePods ordering): unscheduled before scheduled,
 * Pending before Unknown before Running, not ready before ready, ready
 * for less time before longer, more restarts before fewer, newer before
 * older.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (isPodReady(a) && isPodReady(b)) {
    const ta = time(podCondition(a, "Ready")?.lastTransitionTime);
    const tb = time(podCondition(b, "Ready")?.lastTransitionTime);
    if (ta !== tb) return tb - ta; // ready more recently goes first
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ca = time(a.metadata?.creationTimestamp);
  const cb = time(b.metadata?.creationTimestamp);
  if (ca !== cb) return cb - ca; // newer first
  return (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
}

/** The `count` pods to delete first. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  if (count <= 0) return [];
  return [...pods].sort(deletionOrder).slice(0, count);
}
