/**
 * The fewest lower-priority pods to evict from one node so the preemptor
 * fits (upstream's SelectVictimsOnNode): remove every lower-priority pod,
 * check the pod fits, then add pods back most important first (PDB-protected
 * ones before the rest) and keep out only those without which it no longer fits.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { Lookups, Profile } from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { podPriority } from "../framework/pod-info.js";
import { newCycleContext, runFilters, runPreFilters } from "../framework/schedule.js";
import type { Snapshot } from "../framework/snapshot.js";
import { type Status, unresolvable } from "../framework/status.js";
import { splitByPDBViolation } from "./pdb.js";
import { byImportance } from "./pod-order.js";

export const NO_VICTIMS_FOUND = "No preemption victims found for incoming pod";

export interface SimulationInput {
  readonly snapshot: Snapshot;
  readonly profile: Profile;
  readonly lookups?: Lookups;
  readonly pdbs?: readonly PodDisruptionBudget[];
}

export type VictimSelection =
  | { readonly ok: true; readonly victims: readonly Pod[]; readonly numPDBViolations: number }
  | { readonly ok: false; readonly status: Status };

/** Run PreFilter and Filter for the pod on this (simulated) node, with the snapshot it belongs to. */
function fitsOn(pod: Pod, input: SimulationInput & { readonly nodeInfo: NodeInfo }): Status {
  const snapshot = input.snapshot.withNodeInfo(input.nodeInfo);
  const ctx = newCycleContext(
    pod,
    input.lookups ? { snapshot, lookups: input.lookups } : { snapshot },
  );
  const pre = runPreFilters(ctx, input.profile.filters);
  if (pre.rejection) return pre.rejection;
  return runFilters(ctx, { filters: pre.active, nodeInfo: input.nodeInfo });
}

export function selectVictimsOnNode(
  pod: Pod,
  input: SimulationInput & { readonly nodeInfo: NodeInfo },
): VictimSelection {
  const nodeInfo = input.nodeInfo.clone();
  const priority = podPriority(pod);
  const potential = nodeInfo.pods.map((p) => p.pod).filter((p) => podPriority(p) < priority);
  if (potential.length === 0) return { ok: false, status: unresolvable(NO_VICTIMS_FOUND) };
  for (const p of potential) nodeInfo.removePod(p);
  const sim = { ...input, nodeInfo };
  const status = fitsOn(pod, sim);
  if (status.code !== "Success") return { ok: false, status };

  potential.sort(byImportance);
  const { violating, nonViolating } = splitByPDBViolation(potential, input.pdbs ?? []);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: Pod, isViolating: boolean) => {
    nodeInfo.addPod(p);
    if (fitsOn(pod, sim).code === "Success") return;
    nodeInfo.removePod(p);
    victims.push(p);
    if (isViolating) numPDBViolations++;
  };
  for (const p of violating) reprieve(p, true);
  for (const p of nonViolating) reprieve(p, false);
  if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance);
  return { ok: true, victims, numPDBViolations };
}
