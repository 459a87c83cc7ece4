import type { DaemonSet, DaemonSetStatus } from "kubernetes-types/apps/v1.js";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { isPodAvailable, isPodReady } from "../common/pod-state.js";
import type { NodeFit } from "./eligibility.js";
import { oldestFirst } from "./placement.js";
import { isPodUpdated } from "./rolling.js";

/** The counters of a DaemonSet's status. */
export type DaemonCounts = Required<
  Pick<
    DaemonSetStatus,
    | "desiredNumberScheduled"
    | "currentNumberScheduled"
    | "numberMisscheduled"
    | "numberReady"
    | "updatedNumberScheduled"
    | "numberAvailable"
    | "numberUnavailable"
  >
>;

/**
 * The status counters (upstream's updateDaemonSetStatus): over the nodes
 * that should run the daemon, how many have a pod (the oldest one stands
 * for the node), ready, available, at the current revision; and how many
 * nodes have a pod they should not.
 */
export function daemonCounts(
  ds: DaemonSet,
  opts: {
    nodes: readonly Node[];
    byNode: ReadonlyMap<string, readonly Pod[]>;
    hash: string;
    fit: (node: Node) => NodeFit;
    now: number;
  },
): DaemonCounts {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const c: DaemonCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of opts.nodes) {
    const pods = opts.byNode.get(node.metadata?.name ?? "") ?? [];
    if (!opts.fit(node).shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    const pod = [...pods].sort(oldestFirst)[0];
    if (!pod) continue;
    c.currentNumberScheduled++;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, minReady, opts.now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, opts.hash)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/**
 * The status to write, or undefined when the stored one already says it
 * (upstream's storeDaemonSetStatus skip). observedGeneration only moves
 * when this sync acted on the current generation.
 */
export function nextDaemonStatus(
  ds: DaemonSet,
  opts: { counts: DaemonCounts; observe: boolean; collisionCount: number | undefined },
): DaemonSetStatus | undefined {
  const cur = ds.status;
  const generation = ds.metadata?.generation ?? 0;
  const same =
    (Object.keys(opts.counts) as (keyof DaemonCounts)[]).every(
      (k) => (cur?.[k] ?? 0) === opts.counts[k],
    ) &&
    (cur?.observedGeneration ?? 0) >= generation &&
    cur?.collisionCount === opts.collisionCount;
  if (same) return undefined;
  const observedGeneration = opts.observe ? generation : cur?.observedGeneration;
  return {
    ...(cur ?? {}),
    ...opts.counts,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    ...(opts.collisionCount !== undefined ? { collisionCount: opts.collisionCount } : {}),
  };
}
