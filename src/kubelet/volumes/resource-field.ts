/**
 * Values of downward API resourceFieldRefs in volumes (upstream
 * ExtractResourceValueByContainerNameAndNodeAllocatable): the named
 * container's limits or requests, in units of the divisor, rounded up. Unset
 * limits of cpu, memory and ephemeral-storage read as the node's allocatable,
 * for init containers too. Pure.
 */
import type { Pod, ResourceFieldSelector } from "kubernetes-types/core/v1.js";
import {
  containerResourceValue,
  findContainer,
  limitsWithAllocatable,
  type NodeAllocatable,
} from "../fieldpath/index.js";

export type { NodeAllocatable } from "../fieldpath/index.js";

/** The text a resourceFieldRef file holds for `pod`. Throws with upstream's messages on a bad selector. */
export function resourceFieldValue(
  selector: ResourceFieldSelector,
  pod: Pod,
  allocatable: NodeAllocatable = {},
): string {
  const container = findContainer(pod, selector.containerName ?? "");
  return containerResourceValue(selector, {
    requests: container.resources?.requests,
    limits: limitsWithAllocatable(container, allocatable),
  });
}
