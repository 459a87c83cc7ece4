import type {
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  ReplicaSet,
} from "kubernetes-types/apps/v1.js";
import { maxUnavailable, sumStatus } from "./replica-sets.js";

const rfc3339 = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function condition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition, keeping lastTransitionTime when the status did not
 * change and leaving everything untouched when nothing did (upstream's
 * SetDeploymentCondition).
 */
export function setCondition(
  status: DeploymentStatus,
  c: { type: string; status: string; reason: string; message: string; now: number },
): void {
  const current = condition(status, c.type);
  if (
    current &&
    current.status === c.status &&
    current.reason === c.reason &&
    current.message === c.message
  )
    return;
  const next: DeploymentCondition = {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastUpdateTime: rfc3339(c.now),
    lastTransitionTime:
      current && current.status === c.status && current.lastTransitionTime
        ? current.lastTransitionTime
        : rfc3339(c.now),
  };
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/**
 * The status the deployment's ReplicaSets add up to, with the Available
 * condition (upstream's calculateStatus). Progressing is the rollout's
 * business (see progress.ts).
 */
export function calculateStatus(
  d: Deployment,
  opts: { all: readonly ReplicaSet[]; newRS: ReplicaSet | undefined; now: number },
): DeploymentStatus {
  const replicas = d.spec?.replicas ?? 1;
  const available = sumStatus(opts.all, "availableReplicas");
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sumStatus(opts.all, "replicas"),
    updatedReplicas: opts.newRS?.status?.replicas ?? 0,
    readyReplicas: sumStatus(opts.all, "readyReplicas"),
    availableReplicas: available,
    unavailableReplicas: Math.max(replicas - available, 0),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= replicas - maxUnavailable(d)) {
    setCondition(status, {
      type: "Available",
      status: "True",
      reason: "MinimumReplicasAvailable",
      message: "Deployment has minimum availability.",
      now: opts.now,
    });
  } else {
    setCondition(status, {
      type: "Available",
      status: "False",
      reason: "MinimumReplicasUnavailable",
      message: "Deployment does not have minimum availability.",
      now: opts.now,
    });
  }
  return status;
}

/** Every replica is updated and available and the status is current (upstream's DeploymentComplete). */
export function isComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** The rollout moved since the last status (upstream's DeploymentProgressing). */
export function isProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** Status fields that matter compare equal (no write needed). */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b);
}
