/**
 * The shared half of the resource scorers (upstream's
 * resourceAllocationScorer): per configured resource, what the node has
 * allocatable and what it would have requested with the pod on it.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import type { NodeInfo } from "../../framework/node-info.js";
import {
  computePodResourceRequest,
  isScalarResourceName,
  type Resource,
} from "../../framework/resource.js";

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** Upstream's default for both LeastAllocated and BalancedAllocation. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

function pick(r: Readonly<Resource>, name: string): number {
  switch (name) {
    case "cpu":
      return r.milliCPU;
    case "memory":
      return r.memory;
    case "ephemeral-storage":
      return r.ephemeralStorage;
    default:
      return r.scalar[name] ?? 0;
  }
}

/**
 * The pod's request for each resource. `useRequested` false counts
 * containers without CPU/memory requests at the 100m/200Mi defaults.
 */
export function podRequestList(
  pod: Pod,
  opts: { readonly resources: readonly ResourceSpec[]; readonly useRequested: boolean },
): number[] {
  const req = computePodResourceRequest(pod, { nonZero: !opts.useRequested });
  return opts.resources.map((r) => pick(req, r.name));
}

/**
 * Allocatable and requested-with-the-pod per resource. A resource the node
 * does not have, or an extended one the pod does not ask for, gets 0/0 and
 * is left out of the score.
 */
export function allocatableAndRequested(
  nodeInfo: NodeInfo,
  input: {
    readonly resources: readonly ResourceSpec[];
    readonly podRequests: readonly number[];
    readonly useRequested: boolean;
  },
): { allocatable: number[]; requested: number[] } {
  const allocatable: number[] = [];
  const requested: number[] = [];
  input.resources.forEach((r, i) => {
    const podRequest = input.podRequests[i] ?? 0;
    let alloc = 0;
    let req = 0;
    if (!(podRequest === 0 && isScalarResourceName(r.name))) {
      if (r.name === "cpu" || r.name === "memory") {
        const base = input.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
        alloc = pick(nodeInfo.allocatable, r.name);
        req = pick(base, r.name) + podRequest;
      } else if (r.name === "ephemeral-storage" || r.name in nodeInfo.allocatable.scalar) {
        alloc = pick(nodeInfo.allocatable, r.name);
        req = pick(nodeInfo.requested, r.name) + podRequest;
      }
    }
    allocatable.push(alloc);
    requested.push(alloc === 0 ? 0 : req);
  });
  return { allocatable, requested };
}
