/**
 * The NodeResourcesFit predicate: does the node have room for the pod's
 * requests next to what its pods already request?
 */
import type { NodeInfo } from "../../framework/node-info.js";
import { hasAnyRequest, isExtendedResourceName, type Resource } from "../../framework/resource.js";

export interface InsufficientResource {
  readonly resourceName: string;
  /** "Insufficient cpu", "Too many pods", ... as upstream words them. */
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
}

export interface FitOptions {
  /** Extended resources not to check (upstream's ignoredResources); default none. */
  readonly ignoredResources?: ReadonlySet<string>;
  /** Extended resource domains not to check (upstream's ignoredResourceGroups); default none. */
  readonly ignoredResourceGroups?: ReadonlySet<string>;
}

function fits(requested: number, free: number): boolean {
  return requested <= 0 || requested <= free;
}

/**
 * The common case without building anything: room for one more pod and for
 * the CPU, memory and ephemeral-storage requests. Scalar resources are not
 * looked at; a pod requesting any needs insufficientResources.
 */
export function fitsBasicResources(podRequest: Resource, nodeInfo: NodeInfo): boolean {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) return false;
  return (
    fits(podRequest.milliCPU, alloc.milliCPU - used.milliCPU) &&
    fits(podRequest.memory, alloc.memory - used.memory) &&
    fits(podRequest.ephemeralStorage, alloc.ephemeralStorage - used.ephemeralStorage)
  );
}

/** Every resource the node lacks for this request, in upstream's order (pods, cpu, memory, storage, scalars). */
export function insufficientResources(
  podRequest: Resource,
  input: { readonly nodeInfo: NodeInfo } & FitOptions,
): InsufficientResource[] {
  const { nodeInfo } = input;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const out: InsufficientResource[] = [];
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({
      resourceName: "pods",
      reason: "Too many pods",
      requested: 1,
      used: nodeInfo.pods.length,
      capacity: alloc.allowedPodNumber,
    });
  }
  if (!hasAnyRequest(podRequest)) return out;
  const check = (
    name: string,
    v: { readonly requested: number; readonly used: number; readonly capacity: number },
  ) => {
    if (v.requested > 0 && v.requested > v.capacity - v.used) {
      out.push({ resourceName: name, reason: `Insufficient ${name}`, ...v });
    }
  };
  check("cpu", { requested: podRequest.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  check("memory", { requested: podRequest.memory, used: used.memory, capacity: alloc.memory });
  check("ephemeral-storage", {
    requested: podRequest.ephemeralStorage,
    used: used.ephemeralStorage,
    capacity: alloc.ephemeralStorage,
  });
  for (const [name, quantity] of Object.entries(podRequest.scalar)) {
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = name.split("/")[0] ?? "";
      if (input.ignoredResources?.has(name) || input.ignoredResourceGroups?.has(group)) continue;
    }
    check(name, {
      requested: quantity,
      used: used.scalar[name] ?? 0,
      capacity: alloc.scalar[name] ?? 0,
    });
  }
  return out;
}
