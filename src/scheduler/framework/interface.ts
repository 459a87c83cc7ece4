/**
 * The plugin contract (upstream's framework/interface.go, trimmed to what the
 * default profile uses). Plugins are pure: everything they read comes in the
 * CycleContext, everything they remember for later phases goes into its
 * CycleState.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import type { Labels } from "../../machinery/labels/index.js";
import type { CycleState } from "./cycle-state.js";
import type { ClusterEventWithHint } from "./events.js";
import type { NodeInfo } from "./node-info.js";
import type { PodInfo } from "./pod-info.js";
import type { Snapshot } from "./snapshot.js";
import type { Status } from "./status.js";

/** The highest score a Score plugin may give after normalisation. */
export const MAX_NODE_SCORE = 100;

/** Read-only lookups into the informer caches; absent ones behave as "not found". */
export interface Lookups {
  readonly getPVC?: (namespace: string, name: string) => PersistentVolumeClaim | undefined;
  readonly getPV?: (name: string) => PersistentVolume | undefined;
  readonly getStorageClass?: (name: string) => StorageClass | undefined;
  /** Labels of a namespace, for affinity terms with a namespaceSelector. */
  readonly namespaceLabels?: (name: string) => Labels | undefined;
}

/** What every plugin call can see during one scheduling cycle. */
export interface CycleContext {
  readonly pod: Pod;
  readonly podInfo: PodInfo;
  readonly snapshot: Snapshot;
  readonly state: CycleState;
  readonly lookups: Lookups;
}

export interface Plugin {
  readonly name: string;
  /** Cluster events that can make a pod this plugin rejected schedulable again. */
  readonly events?: readonly ClusterEventWithHint[];
}

export interface FilterPlugin extends Plugin {
  /** Once per cycle before Filter; Skip means Filter is not called for this pod. */
  preFilter?(ctx: CycleContext): Status;
  filter(ctx: CycleContext, nodeInfo: NodeInfo): Status;
}

export interface NodeScore {
  readonly name: string;
  readonly score: number;
}

export interface ScorePlugin extends Plugin {
  /** Once per cycle with the feasible nodes; Skip means Score is not called for this pod. */
  preScore?(ctx: CycleContext, nodes: readonly NodeInfo[]): Status;
  score(ctx: CycleContext, nodeInfo: NodeInfo): number;
  /** Map raw scores onto 0..MAX_NODE_SCORE; absent when they already are. */
  normalizeScores?(ctx: CycleContext, scores: readonly NodeScore[]): NodeScore[];
}

/** A scheduling profile: filters in order, scorers with weights. */
export interface Profile {
  readonly filters: readonly FilterPlugin[];
  readonly scorers: readonly { readonly plugin: ScorePlugin; readonly weight: number }[];
}

/** Scale scores to 0..max by the highest (optionally reversed), as upstream's DefaultNormalizeScore. */
export function defaultNormalizeScores(
  scores: readonly NodeScore[],
  opts: { readonly reverse?: boolean; readonly max?: number } = {},
): NodeScore[] {
  const maxPriority = opts.max ?? MAX_NODE_SCORE;
  const reverse = opts.reverse ?? false;
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    return scores.map((s) => ({ name: s.name, score: reverse ? maxPriority : s.score }));
  }
  return scores.map((s) => {
    const scaled = Math.trunc((maxPriority * s.score) / maxCount);
    return { name: s.name, score: reverse ? maxPriority - scaled : scaled };
  });
}
