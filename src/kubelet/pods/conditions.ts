/**
 * The pod conditions the kubelet owns (upstream's status/generate.go):
 * PodReadyToStartContainers, Initialized, ContainersReady and Ready. The
 * scheduler's PodScheduled and anything else are kept as they are.
 */
import type { ContainerStatus, Pod, PodCondition } from "kubernetes-types/core/v1.js";

export const KUBELET_CONDITIONS = [
  "PodReadyToStartContainers",
  "Initialized",
  "ContainersReady",
  "Ready",
] as const;

type Status = "True" | "False";

function condition(type: string, status: Status, reason?: string, message?: string): PodCondition {
  return {
    type,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  } as PodCondition;
}

const list = (names: string[]) => `[${names.join(" ")}]`;

export function initializedCondition(
  pod: Pod,
  initStatuses: readonly ContainerStatus[],
  phase: string,
): PodCondition {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return condition("Initialized", "True");
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!(s.state?.terminated?.exitCode === 0)) incomplete.push(c.name);
  }
  // A succeeded pod ran its init containers even if their statuses are gone.
  if (phase === "Succeeded" || (unknown.length === 0 && incomplete.length === 0))
    return condition("Initialized", "True");
  const parts: string[] = [];
  if (unknown.length) parts.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) parts.push(`containers with incomplete status: ${list(incomplete)}`);
  return condition("Initialized", "False", "ContainersNotInitialized", parts.join(", "));
}

export function containersReadyCondition(
  pod: Pod,
  statuses: readonly ContainerStatus[],
  phase: string,
): PodCondition {
  if (phase === "Succeeded") return condition("ContainersReady", "False", "PodCompleted");
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (unknown.length === 0 && unready.length === 0) return condition("ContainersReady", "True");
  const parts: string[] = [];
  if (unknown.length) parts.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) parts.push(`containers with unready status: ${list(unready)}`);
  return condition("ContainersReady", "False", "ContainersNotReady", parts.join(", "));
}

export function readyCondition(
  pod: Pod,
  containersReady: PodCondition,
  existing: readonly PodCondition[],
): PodCondition {
  if (containersReady.status !== "True")
    return condition("Ready", "False", containersReady.reason, containersReady.message);
  const gates = pod.spec?.readinessGates ?? [];
  const missing: string[] = [];
  const falseGates: string[] = [];
  for (const g of gates) {
    const c = existing.find((x) => x.type === g.conditionType);
    if (!c) missing.push(g.conditionType);
    else if (c.status !== "True") falseGates.push(g.conditionType);
  }
  if (missing.length === 0 && falseGates.length === 0) return condition("Ready", "True");
  const parts: string[] = [];
  if (missing.length)
    parts.push(
      `corresponding condition of pod readiness gate "${missing.join('", "')}" does not exist.`,
    );
  if (falseGates.length)
    parts.push(
      `the status of pod readiness gate "${falseGates.join('", "')}" is not "True", but False`,
    );
  return condition("Ready", "False", "ReadinessGatesNotReady", parts.join(", "));
}

/**
 * Merges freshly computed kubelet conditions into the existing list:
 * lastTransitionTime changes only when a condition's status does.
 */
export function mergeConditions(
  existing: readonly PodCondition[],
  fresh: readonly PodCondition[],
  now: string,
): PodCondition[] {
  const out: PodCondition[] = [];
  const owned = new Set<string>(fresh.map((c) => c.type));
  for (const c of fresh) {
    const old = existing.find((x) => x.type === c.type);
    const lastTransitionTime =
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    out.push({ ...c, lastProbeTime: null as unknown as string, lastTransitionTime });
  }
  for (const c of existing) if (!owned.has(c.type)) out.push(c);
  return out;
}
