/**
 * Why a pod fits nowhere, and the event text upstream prints for it:
 * `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's
 * node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption
 * is not helpful for scheduling.`
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import type { Status } from "./status.js";

export interface Diagnosis {
  /** The rejecting status of every node that was not feasible. */
  readonly nodeToStatus: ReadonlyMap<string, Status>;
  /** Plugins that rejected the pod somewhere (the queue uses their events). */
  readonly unschedulablePlugins: ReadonlySet<string>;
  /** Set when a PreFilter plugin rejected the pod for every node. */
  readonly preFilterMsg?: string;
  /** Appended after the filter reasons, e.g. "preemption: 0/3 nodes are available: ...". */
  readonly postFilterMsg?: string;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Each distinct reason with the number of nodes that gave it, as
 * "<count> <reason>", sorted as strings (so "10 x" sorts before "2 y", as upstream).
 */
export function reasonHistogram(nodeToStatus: ReadonlyMap<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeToStatus.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(compareBytes);
}

/** Upstream's FitError.Error(). */
export function fitErrorMessage(diagnosis: Diagnosis, numAllNodes: number): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) {
    msg += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const reasons = reasonHistogram(diagnosis.nodeToStatus);
    if (reasons.length > 0) msg += ` ${reasons.join(", ")}.`;
  }
  if (diagnosis.postFilterMsg) msg += ` ${diagnosis.postFilterMsg}`;
  return msg;
}

/** The pod fits on no node; an expected outcome, not a fault. */
export class FitError extends Error {
  override readonly name = "FitError";
  readonly pod: Pod;
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;

  constructor(input: { pod: Pod; numAllNodes: number; diagnosis: Diagnosis }) {
    super(fitErrorMessage(input.diagnosis, input.numAllNodes));
    this.pod = input.pod;
    this.numAllNodes = input.numAllNodes;
    this.diagnosis = input.diagnosis;
  }

  /** The same error with the PostFilter (preemption) message appended. */
  withPostFilterMsg(postFilterMsg: string): FitError {
    return new FitError({
      pod: this.pod,
      numAllNodes: this.numAllNodes,
      diagnosis: { ...this.diagnosis, postFilterMsg },
    });
  }
}

/** A plugin returned an Error status: a fault, not a scheduling outcome. */
export class PluginError extends Error {
  override readonly name = "PluginError";
  readonly plugin: string;

  constructor(plugin: string, opts: { message: string; cause?: unknown }) {
    super(`running ${plugin}: ${opts.message}`, { cause: opts.cause });
    this.plugin = plugin;
  }
}
