import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { deletionOrder } from "../common/pod-ranking.js";
import { MAX_POD_CREATE_DELETE_PER_SYNC } from "./constants.js";
import { firstPendingIndexes, type IndexSet } from "./indexes.js";
import { completionIndex, isIndexedJob, isSuspended, onlyReplaceFailedPods } from "./job-pods.js";

export type ManagePlan =
  | { readonly kind: "none" }
  /** Delete these active pods (their outcome is not counted: they did not fail). */
  | { readonly kind: "delete"; readonly pods: readonly Pod[] }
  /** Create `count` pods; for Indexed Jobs one per listed index. */
  | { readonly kind: "create"; readonly count: number; readonly indexes?: readonly number[] }
  /** More pods are wanted but the failure backoff has not elapsed. */
  | { readonly kind: "wait"; readonly ms: number };

/**
 * How many pods a running Job should have now (upstream's manageJob
 * arithmetic): parallelism, but never more than the completions still
 * missing; without completions, once one pod succeeded no new ones start.
 */
export function wantedActive(job: Job, opts: { active: number; succeeded: number }): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null)
    return opts.succeeded > 0 ? opts.active : parallelism;
  return Math.max(0, Math.min(completions - opts.succeeded, parallelism));
}

/**
 * One sync's change to a Job's pods: delete extras (all of them while
 * suspended), else create the missing ones unless the failure backoff
 * says wait. Deletion and creation never happen in the same sync.
 */
export function planManage(opts: {
  job: Job;
  activePods: readonly Pod[];
  succeeded: number;
  succeededIndexes: IndexSet;
  terminating: number;
  backoffRemainingMs: number;
}): ManagePlan {
  const { job, activePods } = opts;
  const active = activePods.length;
  if (isSuspended(job)) {
    const pods = podsForRemoval(job, { pods: activePods, atLeast: active });
    return pods.length ? { kind: "delete", pods } : { kind: "none" };
  }
  const want = wantedActive(job, { active, succeeded: opts.succeeded });
  const remove = podsForRemoval(job, {
    pods: activePods,
    atLeast: Math.max(active - want, 0),
  }).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (remove.length) return { kind: "delete", pods: remove };

  // With podReplacementPolicy Failed a terminating pod still holds its place.
  const terminating = onlyReplaceFailedPods(job) ? opts.terminating : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return { kind: "none" };
  if (opts.backoffRemainingMs > 0) return { kind: "wait", ms: opts.backoffRemainingMs };
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (!isIndexedJob(job)) return { kind: "create", count: diff };
  const indexes = firstPendingIndexes({
    succeeded: opts.succeededIndexes,
    activeIndexes: activePods.map(completionIndex).filter((ix): ix is number => ix !== undefined),
    count: diff,
    completions: job.spec?.completions ?? 0,
  });
  return indexes.length ? { kind: "create", count: indexes.length, indexes } : { kind: "none" };
}

/**
 * The active pods to delete: for Indexed Jobs first every pod with a
 * missing or out-of-range index and every duplicate of an index (keeping
 * the most advanced), then at least `atLeast` in deletion-cost order.
 */
export function podsForRemoval(job: Job, opts: { pods: readonly Pod[]; atLeast: number }): Pod[] {
  const { pods, atLeast } = opts;
  const remove: Pod[] = [];
  let keep: Pod[] = [...pods];
  if (isIndexedJob(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    keep = [];
    for (const pod of pods) {
      const ix = completionIndex(pod);
      if (ix === undefined || ix >= completions) {
        remove.push(pod);
        continue;
      }
      const group = byIndex.get(ix) ?? [];
      group.push(pod);
      byIndex.set(ix, group);
    }
    for (const group of byIndex.values()) {
      const sorted = group.sort(deletionOrder);
      remove.push(...sorted.slice(0, -1));
      keep.push(sorted[sorted.length - 1] as Pod);
    }
  }
  if (remove.length < atLeast)
    remove.push(...keep.sort(deletionOrder).slice(0, atLeast - remove.length));
  return remove;
}
