import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  identityMatches,
  newStatefulPod,
  ordinalOf,
  podRevision,
  startOrdinal,
  storageMatches,
} from "./identity.js";
import { isParallel } from "./kinds.js";
import {
  isAvailable,
  isFinished,
  isHealthy,
  isRunningAndReady,
  isTerminating,
} from "./pod-state.js";

/** One write the StatefulSet controller makes. */
export type StatefulAction =
  /** Create the pod, its missing claims first. */
  | { readonly type: "create"; readonly pod: Pod }
  /** Create a pending pod's missing claims (someone deleted one). */
  | { readonly type: "createClaims"; readonly pod: Pod }
  | { readonly type: "delete"; readonly pod: Pod; readonly why: "finished" | "scale" | "update" }
  /** Restore the pod's identity labels and volumes, and its claims' owners. */
  | { readonly type: "fixPod"; readonly pod: Pod }
  /** Set a condemned pod's claims' owners per the retention policy. */
  | { readonly type: "fixClaims"; readonly pod: Pod };

export interface StatefulPlan {
  /**
   * Run in order; the actions of one batch run together. A batch with a
   * failure stops the rest (the sync is retried).
   */
  readonly batches: StatefulAction[][];
  /** Pods deleted to be updated no longer count as current (upstream decrements currentReplicas). */
  readonly currentReplicasDelta: number;
}

export interface PlanInput {
  readonly set: StatefulSet;
  /** The set at its current revision (the template older ordinals keep under a partition). */
  readonly currentSet: StatefulSet;
  /** The set at its update revision. */
  readonly updateSet: StatefulSet;
  readonly currentRevision: string;
  readonly updateRevision: string;
  /** The set's pods (claimed, with parseable ordinals or not). */
  readonly pods: readonly Pod[];
  readonly now: number;
  /** Whether the pod's claims have the owners the retention policy wants. */
  readonly claimsUpToDate: (pod: Pod) => boolean;
}

/** An ordinal's pod: the one in the cache, or the one to create. */
interface Slot {
  readonly pod: Pod;
  readonly created: boolean;
}

/**
 * Which template an ordinal that has no pod gets (upstream's
 * newVersionedStatefulSetPod): under a rolling update the ordinals below
 * the partition keep the current revision; every other gets the update.
 */
export function podForOrdinal(input: PlanInput, ordinal: number): Pod {
  const cs = input.currentSet;
  const strategy = cs.spec?.updateStrategy;
  const rolling = (strategy?.type ?? "RollingUpdate") === "RollingUpdate";
  const ru = strategy?.rollingUpdate;
  const keepCurrent =
    rolling &&
    (ru === undefined
      ? ordinal < startOrdinal(cs) + (cs.status?.currentReplicas ?? 0)
      : ordinal < startOrdinal(cs) + (ru.partition ?? 0));
  return keepCurrent
    ? newStatefulPod(cs, { ordinal, revision: input.currentRevision })
    : newStatefulPod(input.updateSet, { ordinal, revision: input.updateRevision });
}

/** The ordinals the set keeps (with a pod or one to create) and the pods beyond them, highest first. */
function partition(input: PlanInput): { replicas: Slot[]; condemned: Pod[] } {
  const start = startOrdinal(input.set);
  const count = input.set.spec?.replicas ?? 1;
  const found = new Array<Pod | undefined>(count);
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ord = ordinalOf(pod);
    if (ord >= start && ord < start + count) found[ord - start] = pod;
    else if (ord >= 0) condemned.push(pod);
  }
  const replicas = Array.from(
    found,
    (pod, i): Slot =>
      pod ? { pod, created: true } : { pod: podForOrdinal(input, start + i), created: false },
  );
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  return { replicas, condemned };
}

/** The lowest-ordinal pod that is not healthy (a condemned one only if every kept one is). */
function firstUnhealthy(replicas: readonly Slot[], condemned: readonly Pod[]): Pod | undefined {
  const slot = replicas.find((s) => !s.created || !isHealthy(s.pod));
  if (slot) return slot.pod;
  return [...condemned].reverse().find((p) => !isHealthy(p));
}

/** What to do for one kept ordinal, and whether an ordered set must stop there. */
function planReplica(
  input: PlanInput,
  opts: { slot: Slot; ordered: boolean },
): { actions: StatefulAction[]; stop: boolean } {
  const { slot, ordered } = opts;
  const pod = slot.pod;
  if (slot.created && isFinished(pod)) {
    // Replaced on a later sync, once this one is gone (the name must be free).
    return {
      actions: isTerminating(pod) ? [] : [{ type: "delete", pod, why: "finished" }],
      stop: true,
    };
  }
  if (!slot.created) return { actions: [{ type: "create", pod }], stop: ordered };
  const actions: StatefulAction[] = [];
  if (pod.status?.phase === "Pending") actions.push({ type: "createClaims", pod });
  const minReady = input.set.spec?.minReadySeconds ?? 0;
  if (ordered) {
    if (isTerminating(pod) || !isRunningAndReady(pod) || !isAvailable(pod, minReady, input.now))
      return { actions, stop: true };
  }
  const intact =
    identityMatches(input.set, pod) && storageMatches(input.set, pod) && input.claimsUpToDate(pod);
  if (!intact) actions.push({ type: "fixPod", pod });
  return { actions, stop: false };
}

/**
 * One reconcile of a StatefulSet, as data (upstream's updateStatefulSet):
 *
 * 1. every kept ordinal: recreate finished pods, create missing ones
 *    (claims first), repair identity; OrderedReady stops at the first
 *    pod it created or that is not yet Running, Ready and available;
 * 2. the claims of pods beyond the range get the owners the retention
 *    policy wants;
 * 3. pods beyond the range are deleted, highest ordinal first — under
 *    OrderedReady one at a time, waiting for each to terminate;
 * 4. a RollingUpdate deletes the highest-ordinal pod at or above the
 *    partition that is not at the update revision (it comes back
 *    updated), one at a time, waiting for each to be healthy again.
 *
 * Parallel does each phase at once and does not wait for readiness.
 */
export function planStatefulSet(input: PlanInput): StatefulPlan {
  const batches: StatefulAction[][] = [];
  const plan = (delta = 0): StatefulPlan => ({
    batches: batches.filter((b) => b.length > 0),
    currentReplicasDelta: delta,
  });
  if (input.set.metadata?.deletionTimestamp) return plan();
  const ordered = !isParallel(input.set);
  const { replicas, condemned } = partition(input);
  const unhealthy = firstUnhealthy(replicas, condemned);

  const parallel: StatefulAction[] = [];
  for (const slot of replicas) {
    const r = planReplica(input, { slot, ordered });
    if (!ordered) {
      parallel.push(...r.actions);
      continue;
    }
    for (const a of r.actions) batches.push([a]);
    if (r.stop) return plan();
  }
  batches.push(parallel);

  batches.push(
    condemned
      .filter((pod) => !input.claimsUpToDate(pod))
      .map((pod): StatefulAction => ({ type: "fixClaims", pod })),
  );

  const minReady = input.set.spec?.minReadySeconds ?? 0;
  const scaleDown: StatefulAction[] = [];
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (ordered) return plan();
      continue;
    }
    // Ordered: only the first unhealthy pod may go before its predecessors are ready.
    const blocked =
      pod !== unhealthy && (!isRunningAndReady(pod) || !isAvailable(pod, minReady, input.now));
    if (ordered && blocked) return plan();
    scaleDown.push({ type: "delete", pod, why: "scale" });
    if (ordered) break;
  }
  batches.push(scaleDown);
  if (ordered && scaleDown.length > 0) return plan();

  const strategy = input.set.spec?.updateStrategy;
  if (strategy?.type === "OnDelete") return plan();
  const partitionAt = strategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= partitionAt; target--) {
    const slot = replicas[target];
    if (!slot?.created) return plan();
    const pod = slot.pod;
    if (podRevision(pod) !== input.updateRevision && !isTerminating(pod)) {
      batches.push([{ type: "delete", pod, why: "update" }]);
      return plan(-1);
    }
    if (!isHealthy(pod)) return plan();
  }
  return plan();
}
