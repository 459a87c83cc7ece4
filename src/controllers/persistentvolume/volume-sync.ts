/**
 * What to do with a volume (upstream syncVolume and reclaimVolume),
 * decided from the volume and the claim its claimRef names.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { ANN_PROVISIONED_BY, annotation, hasAnnotation } from "./annotations.js";

export type VolumeDecision =
  /** Free (or only reserved by name): Available. */
  | { readonly kind: "available" }
  /** Both sides point at each other: Bound. */
  | { readonly kind: "bound" }
  /** Its claim is gone (or the provisioned volume lost the race): Released, then reclaim. */
  | { readonly kind: "release" }
  /** The claim has not named the volume yet: the claim's sync finishes the binding. */
  | { readonly kind: "syncClaim" }
  /** The claim is bound to another volume: give this one up. */
  | { readonly kind: "unbind" };

/**
 * `claim` is the claim claimRef names, or undefined when there is none
 * with that name and UID (deleted, or deleted and re-created).
 */
export function decideVolume(
  volume: PersistentVolume,
  claim: PersistentVolumeClaim | undefined,
): VolumeDecision {
  const ref = volume.spec?.claimRef;
  // No UID yet: a reservation by name the claim's sync will honour.
  if (!ref?.uid) return { kind: "available" };
  if (!claim) return { kind: "release" };
  const bound = claim.spec?.volumeName ?? "";
  if (bound === "") return { kind: "syncClaim" };
  if (bound === volume.metadata?.name) return { kind: "bound" };
  // Provisioned for this claim, which found another volume: nobody needs this one.
  if (
    hasAnnotation(volume, ANN_PROVISIONED_BY) &&
    volume.spec?.persistentVolumeReclaimPolicy === "Delete"
  )
    return { kind: "release" };
  return { kind: "unbind" };
}

export type ReclaimDecision =
  | { readonly kind: "retain" }
  /** Delete the PV object (static volumes: their data is the administrator's). */
  | { readonly kind: "delete" }
  /** The provisioner that made it removes the data and then the PV. */
  | { readonly kind: "external"; readonly provisioner: string }
  | { readonly kind: "fail"; readonly reason: string; readonly message: string };

/** What a Released volume's reclaim policy asks for. */
export function decideReclaim(volume: PersistentVolume): ReclaimDecision {
  const policy = volume.spec?.persistentVolumeReclaimPolicy ?? "Retain";
  if (policy === "Retain") return { kind: "retain" };
  if (policy === "Delete") {
    const provisioner = annotation(volume, ANN_PROVISIONED_BY);
    return provisioner ? { kind: "external", provisioner } : { kind: "delete" };
  }
  if (policy === "Recycle") {
    return {
      kind: "fail",
      reason: "VolumeFailedRecycle",
      message:
        "Recycle is not supported by k8ts (it is deprecated upstream); delete and re-create the volume",
    };
  }
  return {
    kind: "fail",
    reason: "VolumeUnknownReclaimPolicy",
    message: "Volume has unrecognized PersistentVolumeReclaimPolicy",
  };
}
