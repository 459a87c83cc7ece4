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

/** Per configured resource: what a node has allocatable and would have requested. */
export interface ResourceVectors {
  allocatable: number[];
  requested: number[];
}

/**
 * Allocatable and requested-with-the-pod per resource. A resource the node
 * does not have, or an extended one the pod does not ask for, gets 0/0 and
 * is left out of the score. With `into` the vectors are written there (one
 * pair reused across the nodes of a cycle) instead of allocated.
 */
export function allocatableAndRequested(
  nodeInfo: NodeInfo,
  input: {
    readonly resources: readonly ResourceSpec[];
    readonly podRequests: readonly number[];
    readonly useRequested: boolean;
    readonly into?: ResourceVectors;
  },
): ResourceVectors {
  const { resources, podRequests } = input;
  const allocatable = input.into?.allocatable ?? new Array<number>(resources.length);
  const requested = input.into?.requested ?? new Array<number>(resources.length);
  for (let i = 0; i < resources.length; i++) {
    const name = (resources[i] as ResourceSpec).name;
    const podRequest = podRequests[i] ?? 0;
    let alloc = 0;
    let req = 0;
    if (!(podRequest === 0 && isScalarResourceName(name))) {
      if (name === "cpu" || name === "memory") {
        const base = input.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
        alloc = pick(nodeInfo.allocatable, name);
        req = pick(base, name) + podRequest;
      } else if (name === "ephemeral-storage" || name in nodeInfo.allocatable.scalar) {
        alloc = pick(nodeInfo.allocatable, name);
        req = pick(nodeInfo.requested, name) + podRequest;
      }
    }
    allocatable[i] = alloc;
    requested[i] = alloc === 0 ? 0 : req;
  }
  return input.into ?? { allocatable, requested };
}
