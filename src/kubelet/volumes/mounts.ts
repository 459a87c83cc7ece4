/**
 * Container mounts: a container's volumeMounts as CRI mounts, with subPaths
 * created inside their volumes (upstream kubelet_pods.go makeMounts, minus
 * the /etc/hosts and termination-log mounts the kubelet adds itself).
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import type { Mount } from "../../runtime/cri.js";
import { VolumeError } from "./errors.js";
import { mountSpecs } from "./mount-specs.js";
import { prepareSubPath } from "./subpath.js";

/**
 * The CRI mounts for `container`, given the host paths setUpPod returned.
 * Throws VolumeError (reason CreateContainerConfigError) for an unknown
 * volume, an absolute or `..` subPath, subPathExpr, or an invalid
 * mountPropagation.
 */
export async function makeMounts(
  pod: Pod,
  container: Container,
  volumePaths: Map<string, string>,
): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const spec of mountSpecs(pod, container, volumePaths)) {
    let hostPath = spec.volumePath;
    if (spec.subPath !== undefined) {
      try {
        hostPath = await prepareSubPath(spec.volumePath, spec.subPath);
      } catch (err) {
        throw new VolumeError(
          `failed to prepare subPath for volumeMount "${spec.volumeName}" of container "${container.name}"`,
          { reason: "CreateContainerConfigError", volume: spec.volumeName, cause: err },
        );
      }
    }
    mounts.push({
      containerPath: spec.containerPath,
      hostPath,
      readonly: spec.readonly,
      propagation: spec.propagation,
    });
  }
  return mounts;
}
