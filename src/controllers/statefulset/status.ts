import type { StatefulSet, StatefulSetStatus } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { ordinalOf, podRevision } from "./identity.js";
import { isAvailable, isRunningAndReady, isTerminating } from "./pod-state.js";

/**
 * A StatefulSet's status from its pods (upstream's updateStatus plus
 * completeRollingUpdate): pods with an ordinal count; ready means Running
 * and Ready; current and updated count live pods at each revision. Once
 * every replica is updated and ready, the update revision becomes the
 * current one.
 */
export function statefulSetStatus(
  set: StatefulSet,
  opts: {
    pods: readonly Pod[];
    currentRevision: string;
    updateRevision: string;
    collisionCount: number;
    currentReplicasDelta: number;
    now: number;
  },
): StatefulSetStatus {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const s = {
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
  };
  for (const pod of opts.pods) {
    if (ordinalOf(pod) < 0) continue;
    s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isAvailable(pod, minReady, opts.now)) s.availableReplicas++;
    }
    if (isTerminating(pod)) continue;
    if (podRevision(pod) === opts.currentRevision) s.currentReplicas++;
    if (podRevision(pod) === opts.updateRevision) s.updatedReplicas++;
  }
  s.currentReplicas = Math.max(s.currentReplicas + opts.currentReplicasDelta, 0);
  let currentRevision = opts.currentRevision;
  const want = set.spec?.replicas ?? 1;
  if (
    (set.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate" &&
    s.updatedReplicas === want &&
    s.readyReplicas === want &&
    s.replicas === want
  ) {
    s.currentReplicas = s.updatedReplicas;
    currentRevision = opts.updateRevision;
  }
  return {
    ...(set.status ?? {}),
    observedGeneration: set.metadata?.generation ?? 0,
    ...s,
    currentRevision,
    updateRevision: opts.updateRevision,
    collisionCount: opts.collisionCount,
  };
}

/** The fields the controller owns are unchanged (no write needed). */
export function sameStatefulStatus(
  a: StatefulSetStatus | undefined,
  b: StatefulSetStatus,
): boolean {
  const keys = [
    "observedGeneration",
    "replicas",
    "readyReplicas",
    "availableReplicas",
    "currentReplicas",
    "updatedReplicas",
    "currentRevision",
    "updateRevision",
    "collisionCount",
  ] as const;
  return keys.every((k) => (a?.[k] ?? undefined) === (b[k] ?? undefined));
}
