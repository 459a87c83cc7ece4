/**
 * One scheduling attempt over a snapshot (upstream's schedule_one.go):
 * PreFilter, Filter on every node, then PreScore/Score/NormalizeScore on the
 * feasible ones, a weighted sum, and the highest-scoring host (ties broken by
 * an injected random source).
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { CycleState } from "./cycle-state.js";
import { type Diagnosis, FitError, PluginError } from "./fit-error.js";
import {
  type CycleContext,
  type FilterPlugin,
  type Lookups,
  MAX_NODE_SCORE,
  type NodeScore,
  type Profile,
  type ScorePlugin,
} from "./interface.js";
import type { NodeInfo } from "./node-info.js";
import { newPodInfo } from "./pod-info.js";
import type { Snapshot } from "./snapshot.js";
import {
  isRejected,
  isSuccess,
  type Status,
  SUCCESS,
  statusMessage,
  withPlugin,
} from "./status.js";

export interface CycleInput {
  readonly snapshot: Snapshot;
  readonly profile: Profile;
  /** PVC/PV/StorageClass/namespace lookups; default none. */
  readonly lookups?: Lookups;
  /**
   * Stop filtering once this share of nodes is found feasible (upstream's
   * percentageOfNodesToScore; 0 or absent: adaptive, 50% minus 1% per 125
   * nodes, at least 5% and at least 100 nodes).
   */
  readonly percentageOfNodesToScore?: number;
  /** Where to start in the node list (rotate it between cycles so all nodes get their turn). */
  readonly startIndex?: number;
}

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes are enough to pick from (upstream's numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) {
    adaptive = 50 - Math.trunc(numAllNodes / 125);
    if (adaptive < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
      adaptive = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * adaptive) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export function newCycleContext(pod: Pod, input: Omit<CycleInput, "profile">): CycleContext {
  return {
    pod,
    podInfo: newPodInfo(pod),
    snapshot: input.snapshot,
    state: new CycleState(),
    lookups: input.lookups ?? {},
  };
}

function check(plugin: string, status: Status): Status {
  if (status.code === "Success") return status;
  if (status.code === "Error") {
    throw new PluginError(plugin, { message: statusMessage(status) });
  }
  return withPlugin(status, plugin);
}

export interface PreFilterOutcome {
  /** Filters to run (those whose PreFilter did not Skip). */
  readonly active: readonly FilterPlugin[];
  /** Set when a PreFilter rejected the pod outright. */
  readonly rejection?: Status;
}

/** Run every PreFilter; stops at the first rejection. Throws PluginError on Error. */
export function runPreFilters(
  ctx: CycleContext,
  filters: readonly FilterPlugin[],
): PreFilterOutcome {
  const active: FilterPlugin[] = [];
  for (const plugin of filters) {
    if (!plugin.preFilter) {
      active.push(plugin);
      continue;
    }
    const status = check(plugin.name, plugin.preFilter(ctx));
    if (status.code === "Skip") continue;
    if (isRejected(status)) return { active, rejection: status };
    active.push(plugin);
  }
  return { active };
}

/** Run the filters on one node; the first rejection wins. Throws PluginError on Error. */
export function runFilters(
  ctx: CycleContext,
  input: { readonly filters: readonly FilterPlugin[]; readonly nodeInfo: NodeInfo },
): Status {
  for (const plugin of input.filters) {
    const status = check(plugin.name, plugin.filter(ctx, input.nodeInfo));
    if (!isSuccess(status)) return status;
  }
  return SUCCESS;
}

export interface FitResult {
  readonly ctx: CycleContext;
  readonly feasible: readonly NodeInfo[];
  /** How many nodes were filtered (fewer than all when enough feasible ones were found). */
  readonly processed: number;
  readonly diagnosis: Diagnosis;
  /** Present when no node is feasible. */
  readonly fitError?: FitError;
}

/** PreFilter then Filter over every node of the snapshot. */
export function findNodesThatFit(pod: Pod, input: CycleInput): FitResult {
  const ctx = newCycleContext(pod, input);
  const nodes = input.snapshot.nodeInfos;
  const pre = runPreFilters(ctx, input.profile.filters);
  const nodeToStatus = new Map<string, Status>();
  const plugins = new Set<string>();
  if (pre.rejection) {
    for (const n of nodes) nodeToStatus.set(n.name, pre.rejection);
    if (pre.rejection.plugin) plugins.add(pre.rejection.plugin);
    const diagnosis: Diagnosis = {
      nodeToStatus,
      unschedulablePlugins: plugins,
      preFilterMsg: statusMessage(pre.rejection),
    };
    const fitError = new FitError({ pod, numAllNodes: nodes.length, diagnosis });
    return { ctx, feasible: [], processed: nodes.length, diagnosis, fitError };
  }
  const feasible: NodeInfo[] = [];
  const enough = numFeasibleNodesToFind(nodes.length, input.percentageOfNodesToScore);
  const start = nodes.length > 0 ? (input.startIndex ?? 0) % nodes.length : 0;
  let processed = 0;
  for (; processed < nodes.length && feasible.length < enough; processed++) {
    const nodeInfo = nodes[(start + processed) % nodes.length] as NodeInfo;
    const status = runFilters(ctx, { filters: pre.active, nodeInfo });
    if (isSuccess(status)) {
      feasible.push(nodeInfo);
      continue;
    }
    nodeToStatus.set(nodeInfo.name, status);
    if (status.plugin) plugins.add(status.plugin);
  }
  const diagnosis: Diagnosis = { nodeToStatus, unschedulablePlugins: plugins };
  if (feasible.length > 0) return { ctx, feasible, processed, diagnosis };
  const fitError = new FitError({ pod, numAllNodes: nodes.length, diagnosis });
  return { ctx, feasible, processed, diagnosis, fitError };
}

export interface PrioritizedNode extends NodeScore {
  /** Each scorer's normalised, weighted contribution. */
  readonly byPlugin: Readonly<Record<string, number>>;
}

/** Each scorer's weighted scores, one column per plugin, rows in node order. */
interface ScoreColumn {
  readonly plugin: string;
  readonly weighted: readonly number[];
}

/** One node's total; its per-plugin breakdown is built only when read. */
class ScoredNode implements PrioritizedNode {
  readonly name: string;
  readonly score: number;

  constructor(
    private readonly index: number,
    private readonly table: {
      readonly nodes: readonly NodeInfo[];
      readonly totals: readonly number[];
      readonly columns: readonly ScoreColumn[];
    },
  ) {
    this.name = table.nodes[index]?.name ?? "";
    this.score = table.totals[index] ?? 0;
  }

  get byPlugin(): Readonly<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const c of this.table.columns) out[c.plugin] = c.weighted[this.index] ?? 0;
    return out;
  }
}

/** One scorer's raw scores for the nodes, normalised where the plugin normalises. */
function pluginScores(
  ctx: CycleContext,
  input: { readonly plugin: ScorePlugin; readonly nodes: readonly NodeInfo[] },
): number[] {
  const { plugin, nodes } = input;
  const raw = new Array<number>(nodes.length);
  for (let i = 0; i < nodes.length; i++) raw[i] = plugin.score(ctx, nodes[i] as NodeInfo);
  if (!plugin.normalizeScores) return raw;
  const normalized = plugin.normalizeScores(
    ctx,
    nodes.map((n, i) => ({ name: n.name, score: raw[i] ?? 0 })),
  );
  return normalized.map((s) => s.score);
}

/**
 * Score the feasible nodes: each scorer's raw scores, normalised to
 * 0..100 where the plugin normalises, times its weight, summed. Without any
 * scorer every node scores 1, as upstream.
 */
export function prioritizeNodes(
  ctx: CycleContext,
  input: { readonly nodes: readonly NodeInfo[]; readonly profile: Profile },
): PrioritizedNode[] {
  const { nodes, profile } = input;
  if (profile.scorers.length === 0) {
    return nodes.map((n) => ({ name: n.name, score: 1, byPlugin: {} }));
  }
  const totals = new Array<number>(nodes.length).fill(0);
  const columns: ScoreColumn[] = [];
  for (const { plugin, weight } of profile.scorers) {
    if (plugin.preScore) {
      const status = check(plugin.name, plugin.preScore(ctx, nodes));
      if (status.code === "Skip") continue;
      if (!isSuccess(status)) {
        throw new PluginError(plugin.name, { message: statusMessage(status) });
      }
    }
    const weighted = pluginScores(ctx, { plugin, nodes });
    for (let i = 0; i < weighted.length; i++) {
      const score = weighted[i] ?? 0;
      if (score < 0 || score > MAX_NODE_SCORE) {
        throw new PluginError(plugin.name, {
          message: `score ${score} of node ${nodes[i]?.name} is outside [0, ${MAX_NODE_SCORE}]`,
        });
      }
      weighted[i] = score * weight;
      totals[i] = (totals[i] ?? 0) + score * weight;
    }
    columns.push({ plugin: plugin.name, weighted });
  }
  const table = { nodes, totals, columns };
  return nodes.map((_, i) => new ScoredNode(i, table));
}

/**
 * The highest-scoring node; among equals each is equally likely
 * (reservoir sampling as upstream). `random()` returns a number in [0, 1).
 */
export function selectHost(scores: readonly NodeScore[], random: () => number): string {
  const first = scores[0];
  if (first === undefined) throw new RangeError("selectHost: empty priority list");
  let selected = first.name;
  let maxScore = first.score;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i] as NodeScore;
    if (s.score > maxScore) {
      maxScore = s.score;
      selected = s.name;
      ties = 1;
    } else if (s.score === maxScore) {
      ties++;
      if (Math.floor(random() * ties) === 0) selected = s.name;
    }
  }
  return selected;
}

export type ScheduleResult =
  | {
      readonly kind: "scheduled";
      readonly host: string;
      readonly feasibleNodes: number;
      /** Nodes filtered this cycle: the next cycle starts after them. */
      readonly processed: number;
      readonly scores: readonly PrioritizedNode[];
    }
  | { readonly kind: "unschedulable"; readonly fitError: FitError }
  /** The snapshot has no nodes at all (upstream's ErrNoNodesAvailable). */
  | { readonly kind: "noNodes"; readonly message: typeof NO_NODES_AVAILABLE };

export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/**
 * A whole attempt: filter, and when more than one node fits, score and pick
 * one. A single feasible node is taken without scoring, as upstream.
 */
export function schedulePod(
  pod: Pod,
  input: CycleInput & { readonly random: () => number },
): ScheduleResult {
  if (input.snapshot.size === 0) return { kind: "noNodes", message: NO_NODES_AVAILABLE };
  const fit = findNodesThatFit(pod, input);
  if (fit.fitError) return { kind: "unschedulable", fitError: fit.fitError };
  const only = fit.feasible.length === 1 ? fit.feasible[0] : undefined;
  if (only) {
    return {
      kind: "scheduled",
      host: only.name,
      feasibleNodes: 1,
      processed: fit.processed,
      scores: [],
    };
  }
  const scores = prioritizeNodes(fit.ctx, { nodes: fit.feasible, profile: input.profile });
  return {
    kind: "scheduled",
    host: selectHost(scores, input.random),
    feasibleNodes: fit.feasible.length,
    processed: fit.processed,
    scores,
  };
}
