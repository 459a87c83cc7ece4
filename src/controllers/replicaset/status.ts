import type { ReplicaSetCondition, ReplicaSetStatus } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { isPodAvailable, isPodReady } from "../common/pod-state.js";

/**
 * A ReplicaSet's (or ReplicationController's) status from the pods it
 * controls (upstream's calculateStatus): fullyLabeled counts pods carrying
 * every template label; available honours minReadySeconds; the
 * ReplicaFailure condition reports a failed create or delete and clears
 * once manage succeeds.
 */
export function calculateStatus(opts: {
  current: ReplicaSetStatus | undefined;
  generation: number | undefined;
  templateLabels: Record<string, string>;
  minReadySeconds: number;
  pods: readonly Pod[];
  manageError: unknown;
  now: number;
}): ReplicaSetStatus {
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of opts.pods) {
    const labels = pod.metadata?.labels ?? {};
    if (Object.entries(opts.templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, opts.minReadySeconds, opts.now)) available++;
    }
  }
  let conditions = (opts.current?.conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
  const failure = opts.current?.conditions?.find((c) => c.type === "ReplicaFailure");
  if (opts.manageError !== undefined) {
    const message =
      opts.manageError instanceof Error ? opts.manageError.message : String(opts.manageError);
    const reason = /delete/i.test(message) ? "FailedDelete" : "FailedCreate";
    const cond: ReplicaSetCondition = {
      type: "ReplicaFailure",
      status: "True",
      reason,
      message,
      lastTransitionTime:
        failure?.lastTransitionTime ?? new Date(opts.now).toISOString().replace(/\.\d+Z$/, "Z"),
    };
    conditions = [...conditions, cond];
  }
  const status: ReplicaSetStatus = {
    replicas: opts.pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    ...(opts.generation !== undefined ? { observedGeneration: opts.generation } : {}),
    ...(conditions.length ? { conditions } : {}),
  };
  return status;
}

/** Status fields compare equal (no write needed). */
export function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus | undefined) =>
    JSON.stringify({
      replicas: s?.replicas ?? 0,
      fullyLabeledReplicas: s?.fullyLabeledReplicas ?? 0,
      readyReplicas: s?.readyReplicas ?? 0,
      availableReplicas: s?.availableReplicas ?? 0,
      observedGeneration: s?.observedGeneration ?? 0,
      conditions: (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
    });
  return norm(a) === norm(b);
}
