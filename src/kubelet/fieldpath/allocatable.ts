/**
 * Node-allocatable defaults for the downward API (upstream
 * resource.MergeContainerResourceLimits): a container without a cpu, memory
 * or ephemeral-storage limit, or with a zero one, reads the node's
 * allocatable instead. Hugepages are never defaulted. Pure.
 */
import type { Container } from "kubernetes-types/core/v1.js";
import { quantityOf } from "./quantity.js";

/** Node allocatable resources, as quantity strings (e.g. `{ cpu: "4", memory: "8Gi" }`). */
export interface NodeAllocatable {
  cpu?: string;
  memory?: string;
  "ephemeral-storage"?: string;
}

const DEFAULTED = ["cpu", "memory", "ephemeral-storage"] as const;

/** The container's limits with unset or zero cpu/memory/ephemeral-storage taken from `allocatable`; the container is not touched. */
export function limitsWithAllocatable(
  container: Container,
  allocatable: NodeAllocatable,
): Record<string, string> {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const name of DEFAULTED) {
    const own = limits[name];
    const cap = allocatable[name];
    if ((own === undefined || quantityOf(own).isZero()) && cap !== undefined) limits[name] = cap;
  }
  return limits;
}
