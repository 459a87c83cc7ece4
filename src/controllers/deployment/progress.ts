import type { Deployment, DeploymentStatus, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { condition, isComplete, isProgressing, removeCondition, setCondition } from "./status.js";

/**
 * Updates the Progressing condition (upstream's syncRolloutStatus and
 * progress.go): NewReplicaSetAvailable once complete, ReplicaSetUpdated
 * while it moves, ProgressDeadlineExceeded when it has not moved for
 * progressDeadlineSeconds; the new ReplicaSet's ReplicaFailure is copied
 * up. Returns when to look again for the deadline (ms from now), if ever.
 */
export function updateProgress(
  d: Deployment,
  opts: {
    status: DeploymentStatus;
    newRS: ReplicaSet | undefined;
    all: readonly ReplicaSet[];
    now: number;
  },
): number | undefined {
  const { status, newRS, now } = opts;
  const deadline = d.spec?.progressDeadlineSeconds;
  const name = newRS?.metadata?.name ?? "";
  const current = condition(status, "Progressing");
  const alreadyComplete =
    status.replicas === status.updatedReplicas && current?.reason === "NewReplicaSetAvailable";
  if (d.spec?.paused) return undefined;

  if (deadline !== undefined && !alreadyComplete) {
    if (isComplete(d, status)) {
      setCondition(status, {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        message: `ReplicaSet "${name}" has successfully progressed.`,
        now,
      });
    } else if (isProgressing(d, status)) {
      // Progress refreshes lastUpdateTime, which the deadline counts from.
      setCondition(status, {
        type: "Progressing",
        status: "True",
        reason: "ReplicaSetUpdated",
        message: `ReplicaSet "${name}" is progressing.`,
        now,
      });
      const c = condition(status, "Progressing");
      if (c) c.lastUpdateTime = `${new Date(now).toISOString().slice(0, 19)}Z`;
    } else if (timedOut(d, status, now)) {
      setCondition(status, {
        type: "Progressing",
        status: "False",
        reason: "ProgressDeadlineExceeded",
        message: `ReplicaSet "${name}" has timed out progressing.`,
        now,
      });
    }
  }

  const failure = newRS?.status?.conditions?.find((c) => c.type === "ReplicaFailure");
  if (failure) {
    setCondition(status, {
      type: "ReplicaFailure",
      status: failure.status,
      reason: failure.reason ?? "",
      message: failure.message ?? "",
      now,
    });
  } else {
    removeCondition(status, "ReplicaFailure");
  }

  if (deadline === undefined || isComplete(d, status)) return undefined;
  const p = condition(status, "Progressing");
  if (!p || p.reason === "ProgressDeadlineExceeded" || !p.lastUpdateTime) return undefined;
  return Math.max(Date.parse(p.lastUpdateTime) + deadline * 1000 - now, 0) + 100;
}

/** The rollout has not progressed within its deadline (upstream's DeploymentTimedOut). */
export function timedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline === undefined) return false;
  const c = condition(status, "Progressing");
  if (!c) return false;
  if (c.reason === "NewReplicaSetAvailable") return false;
  if (c.reason === "ProgressDeadlineExceeded") return true;
  const from = Date.parse(c.lastUpdateTime ?? "");
  return !Number.isNaN(from) && from + deadline * 1000 < now;
}

/**
 * The paused/resumed bookkeeping (upstream's checkPausedConditions):
 * Progressing Unknown/DeploymentPaused while paused, DeploymentResumed
 * when unpaused. Returns true when the status changed.
 */
export function pausedCondition(d: Deployment, status: DeploymentStatus, now: number): boolean {
  const c = condition(status, "Progressing");
  if (c?.reason === "ProgressDeadlineExceeded") return false;
  const pausedNow = c?.reason === "DeploymentPaused";
  if (d.spec?.paused && !pausedNow) {
    setCondition(status, {
      type: "Progressing",
      status: "Unknown",
      reason: "DeploymentPaused",
      message: "Deployment is paused",
      now,
    });
    return true;
  }
  if (!d.spec?.paused && pausedNow) {
    setCondition(status, {
      type: "Progressing",
      status: "Unknown",
      reason: "DeploymentResumed",
      message: "Deployment is resumed",
      now,
    });
    return true;
  }
  return false;
}
