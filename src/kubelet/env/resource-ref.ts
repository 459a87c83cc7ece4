/**
 * `valueFrom.resourceFieldRef` (upstream containerResourceRuntimeValue on the
 * kubelet's defaultPodLimitsForDownwardAPI): a container's requests or limits
 * divided by the divisor and rounded up. The env's own container and the
 * pod's regular containers read unset cpu, memory and ephemeral-storage
 * limits as the node's allocatable; init containers named by containerName
 * do not, as upstream.
 */
import type { Container, Pod, ResourceFieldSelector } from "kubernetes-types/core/v1.js";
import {
  containerResourceValue,
  findContainer,
  limitsWithAllocatable,
  type NodeAllocatable,
} from "../fieldpath/index.js";
import { withEnvErrors } from "./errors.js";

/** The value of a resourceFieldRef of `container` (or of the pod's container `fs.containerName`). */
export function resourceFieldRefValue(
  pod: Pod,
  container: Container,
  fs: ResourceFieldSelector,
  allocatable: NodeAllocatable,
): string {
  return withEnvErrors(() => {
    const name = fs.containerName ?? "";
    const target = name === "" ? container : findContainer(pod, name);
    const defaulted = name === "" || pod.spec?.containers.includes(target) === true;
    const limits = defaulted
      ? limitsWithAllocatable(target, allocatable)
      : target.resources?.limits;
    return containerResourceValue(fs, { requests: target.resources?.requests, limits });
  });
}
