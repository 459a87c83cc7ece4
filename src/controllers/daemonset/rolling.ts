import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { isPodAvailable } from "../common/pod-state.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../history/revision.js";
import type { NodeFit } from "./eligibility.js";
import { rollingLimits } from "./limits.js";

/** What one rolling-update step does. */
export interface RollingPlan {
  readonly delete: Pod[];
  readonly createOn: string[];
}

/** A pod runs the current revision when it carries its hash. */
export function isPodUpdated(pod: Pod, hash: string): boolean {
  return hash !== "" && pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
}

/**
 * The one new and one old live pod on a node (upstream's
 * findUpdatedPodsOnNode); `ok` is false when there are more of either —
 * the manage step prunes those first.
 */
export function findUpdatedPodsOnNode(
  pods: readonly Pod[],
  hash: string,
): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}), ok: true };
}

interface RollingInput {
  nodes: readonly Node[];
  byNode: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  fit: (node: Node) => NodeFit;
  now: number;
}

/**
 * One step of a DaemonSet rolling update (upstream's rollingUpdate).
 * Without surge: delete old pods — unavailable ones always, available ones
 * only while fewer than maxUnavailable nodes lack an available pod — and
 * let the manage step create their replacements. With surge: create a
 * new pod beside an old one (at once when the old one is unavailable,
 * otherwise while fewer than maxSurge nodes are surging) and delete the
 * old one once the new one is available.
 */
export function planRollingUpdate(ds: DaemonSet, input: RollingInput): RollingPlan {
  const nodesByName = new Map(input.nodes.map((n) => [n.metadata?.name ?? "", n]));
  const fitOf = (name: string): NodeFit => {
    const node = nodesByName.get(name);
    return node ? input.fit(node) : { shouldRun: false, shouldContinueRunning: false };
  };
  // Nodes that should run the daemon but have no pod yet count too (as unavailable).
  const byNode = new Map<string, readonly Pod[]>(input.byNode);
  let desired = 0;
  for (const [name, node] of nodesByName) {
    if (!input.fit(node).shouldRun) continue;
    desired++;
    if (!byNode.has(name)) byNode.set(name, []);
  }
  const limits = rollingLimits(ds, desired);
  const names = [...byNode.keys()].sort();
  const common = { ds, byNode, names, hash: input.hash, now: input.now };
  return limits.maxSurge === 0
    ? withoutSurge({ ...common, maxUnavailable: limits.maxUnavailable })
    : withSurge({ ...common, maxSurge: limits.maxSurge, desired, fitOf });
}

interface StepInput {
  ds: DaemonSet;
  byNode: ReadonlyMap<string, readonly Pod[]>;
  names: readonly string[];
  hash: string;
  now: number;
}

function withoutSurge(opts: StepInput & { maxUnavailable: number }): RollingPlan {
  const minReady = opts.ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, opts.now);
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const name of opts.names) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(opts.byNode.get(name) ?? [], opts.hash);
    if (!ok || (newPod && oldPod) || (!newPod && !oldPod)) {
      // The manage step creates or prunes here; meanwhile the node counts as unavailable.
      unavailable++;
    } else if (newPod) {
      if (!available(newPod)) unavailable++;
    } else if (oldPod && !available(oldPod)) {
      // Already unavailable: replacing it costs no availability.
      replace.push(oldPod);
      unavailable++;
    } else if (oldPod && unavailable < opts.maxUnavailable) {
      candidates.push(oldPod);
    }
  }
  const room = Math.min(Math.max(opts.maxUnavailable - unavailable, 0), candidates.length);
  return { delete: [...replace, ...candidates.slice(0, room)], createOn: [] };
}

function withSurge(
  opts: StepInput & { maxSurge: number; desired: number; fitOf: (name: string) => NodeFit },
): RollingPlan {
  const minReady = opts.ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, opts.now);
  const toDelete: Pod[] = [];
  const sunset: Pod[] = [];
  const candidates: string[] = [];
  const allowed: string[] = [];
  let surging = 0;
  let availableCount = 0;
  for (const name of opts.names) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(opts.byNode.get(name) ?? [], opts.hash);
    if (!ok) {
      surging++;
      continue;
    }
    const counted = oldPod ?? newPod;
    if (counted && available(counted)) availableCount++;
    if (!oldPod) continue;
    if (!newPod) {
      const shouldRun = opts.fitOf(name).shouldRun;
      if (!available(oldPod)) {
        if (shouldRun) allowed.push(name);
        else toDelete.push(oldPod);
      } else if (!shouldRun) {
        sunset.push(oldPod);
      } else if (surging < opts.maxSurge) {
        candidates.push(name);
      }
      continue;
    }
    if (!available(newPod)) surging++;
    else toDelete.push(oldPod);
  }
  // Pods on nodes the daemon is leaving go only while enough others are available.
  const deletable = Math.min(Math.max(availableCount - opts.desired, 0), sunset.length);
  toDelete.push(...sunset.slice(0, deletable));
  const room = Math.min(Math.max(opts.maxSurge - surging, 0), candidates.length);
  return { delete: toDelete, createOn: [...allowed, ...candidates.slice(0, room)] };
}
