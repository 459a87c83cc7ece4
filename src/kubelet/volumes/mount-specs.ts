/**
 * A container's volumeMounts as the mounts the runtime gets (upstream
 * kubelet_pods.go makeMounts), before any subPath is prepared on disk. Pure.
 */
import type { Container, Pod, VolumeMount } from "kubernetes-types/core/v1.js";
import type { MountPropagation } from "../../runtime/cri.js";
import { VolumeError } from "./errors.js";
import { subPathError } from "./paths.js";
import { mustMountReadOnly } from "./plugins.js";

/** One mount to make: the volume's host path and, when set, the subPath within it. */
export interface MountSpec {
  volumeName: string;
  containerPath: string;
  volumePath: string;
  subPath: string | undefined;
  readonly: boolean;
  propagation: MountPropagation;
}

function configError(message: string): VolumeError {
  return new VolumeError(message, { reason: "CreateContainerConfigError" });
}

/** A volumeMount's mountPropagation as the CRI names it (absent and None are private). */
export function translatePropagation(mode: string | undefined): MountPropagation {
  switch (mode) {
    case undefined:
    case "None":
      return "PROPAGATION_PRIVATE";
    case "HostToContainer":
      return "PROPAGATION_HOST_TO_CONTAINER";
    case "Bidirectional":
      return "PROPAGATION_BIDIRECTIONAL";
    default:
      throw configError(`invalid MountPropagation mode: "${mode}"`);
  }
}

function specOf(
  pod: Pod,
  container: Container,
  mount: VolumeMount,
  volumePaths: ReadonlyMap<string, string>,
): MountSpec {
  const volumePath = volumePaths.get(mount.name);
  if (volumePath === undefined)
    throw configError(
      `cannot find volume "${mount.name}" to mount into container "${container.name}"`,
    );
  if ((mount.subPathExpr ?? "") !== "")
    throw configError(
      `subPathExpr is not supported by k8ts (volumeMount "${mount.name}" of container "${container.name}")`,
    );
  if (mount.recursiveReadOnly === "Enabled")
    throw configError(
      `recursive read-only mounts are not supported by k8ts (volumeMount "${mount.name}" of container "${container.name}")`,
    );
  const subPath = mount.subPath ?? "";
  const invalid = subPath === "" ? undefined : subPathError(subPath);
  if (invalid !== undefined) throw configError(invalid);
  const volume = pod.spec?.volumes?.find((v) => v.name === mount.name);
  return {
    volumeName: mount.name,
    containerPath: mount.mountPath.startsWith("/") ? mount.mountPath : `/${mount.mountPath}`,
    volumePath,
    subPath: subPath === "" ? undefined : subPath,
    readonly: mount.readOnly === true || (volume !== undefined && mustMountReadOnly(volume)),
    propagation: translatePropagation(mount.mountPropagation),
  };
}

/** The mounts of `container`'s volumeMounts, in order; throws VolumeError (CreateContainerConfigError). */
export function mountSpecs(
  pod: Pod,
  container: Container,
  volumePaths: ReadonlyMap<string, string>,
): MountSpec[] {
  return (container.volumeMounts ?? []).map((m) => specOf(pod, container, m, volumePaths));
}
