/**
 * DefaultPreemption as a pure decision (upstream's preemption.Evaluator):
 * given a pod that fits nowhere, pick a node and the victims to evict there,
 * or say why not in the words that follow "preemption:" in the event.
 * Evicting the victims and setting `status.nominatedNodeName` is the caller's job.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { type Diagnosis, fitErrorMessage } from "../framework/fit-error.js";
import { podPriority } from "../framework/pod-info.js";
import { type Status, unresolvable } from "../framework/status.js";
import { type Candidate, pickOneCandidate } from "./candidates.js";
import { type SimulationInput, selectVictimsOnNode } from "./victims.js";

export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never.";
export const NOT_ELIGIBLE_TERMINATING =
  "not eligible due to a terminating pod on the nominated node.";

export type PreemptionResult =
  | {
      readonly kind: "preempt";
      readonly nodeName: string;
      readonly victims: readonly Pod[];
      readonly numPDBViolations: number;
    }
  | {
      readonly kind: "none";
      /** The PostFilter message: "preemption: 0/3 nodes are available: ...". */
      readonly message: string;
    };

/** A pod being deleted because the scheduler preempted it. */
function terminatingByPreemption(pod: Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  return (pod.status?.conditions ?? []).some(
    (c) => c.type === "DisruptionTarget" && c.reason === "PreemptionByScheduler",
  );
}

/** Upstream's PodEligibleToPreemptOthers: the reason it may not, or undefined. */
export function notEligibleReason(
  pod: Pod,
  input: { readonly snapshot: SimulationInput["snapshot"]; readonly diagnosis: Diagnosis },
): string | undefined {
  if (pod.spec?.preemptionPolicy === "Never") return NOT_ELIGIBLE_NEVER;
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated) return undefined;
  if (input.diagnosis.nodeToStatus.get(nominated)?.code === "UnschedulableAndUnresolvable") {
    return undefined;
  }
  const priority = podPriority(pod);
  const node = input.snapshot.get(nominated);
  const blocked = node?.pods.some(
    (p) => podPriority(p.pod) < priority && terminatingByPreemption(p.pod),
  );
  return blocked ? NOT_ELIGIBLE_TERMINATING : undefined;
}

/** "preemption: " followed by the fit-error text of the per-node preemption statuses. */
export function preemptionMessage(
  nodeToStatus: ReadonlyMap<string, Status>,
  numAllNodes: number,
): string {
  const diagnosis: Diagnosis = { nodeToStatus, unschedulablePlugins: new Set() };
  return `preemption: ${fitErrorMessage(diagnosis, numAllNodes)}`;
}

export function preempt(
  pod: Pod,
  input: SimulationInput & { readonly diagnosis: Diagnosis },
): PreemptionResult {
  const notEligible = notEligibleReason(pod, input);
  if (notEligible) return { kind: "none", message: `preemption: ${notEligible}` };

  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  for (const nodeInfo of input.snapshot.nodeInfos) {
    const status = input.diagnosis.nodeToStatus.get(nodeInfo.name);
    if (status?.code === "UnschedulableAndUnresolvable") {
      statuses.set(nodeInfo.name, unresolvable(PREEMPTION_NOT_HELPFUL));
      continue;
    }
    const selection = selectVictimsOnNode(pod, { ...input, nodeInfo });
    if (selection.ok) {
      candidates.push({
        nodeName: nodeInfo.name,
        victims: selection.victims,
        numPDBViolations: selection.numPDBViolations,
      });
    } else {
      statuses.set(nodeInfo.name, selection.status);
    }
  }
  const chosen = pickOneCandidate(candidates);
  if (!chosen) {
    return { kind: "none", message: preemptionMessage(statuses, input.snapshot.size) };
  }
  return {
    kind: "preempt",
    nodeName: chosen.nodeName,
    victims: chosen.victims,
    numPDBViolations: chosen.numPDBViolations,
  };
}
