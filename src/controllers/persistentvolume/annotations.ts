/**
 * The annotations binding and provisioning agree on (upstream's
 * storage helpers), and how a claim or volume names its class.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";

/** On a claim: binding finished once; from then on the claim is Bound or Lost, never Pending. */
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** The controller (not the user) made this side of the binding, so it may undo it. */
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
/** On a claim: the node the scheduler chose for its first consumer (WaitForFirstConsumer). */
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** On a claim: which provisioner is expected to create its volume. */
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
/** On a volume: the provisioner that created it (and so must delete it). */
export const ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
/** The class annotation that predates spec.storageClassName, still honoured first. */
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
export const ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";

type Annotated = { metadata?: { annotations?: { [k: string]: string } } };

export function annotation(obj: Annotated, key: string): string | undefined {
  return obj.metadata?.annotations?.[key];
}

export function hasAnnotation(obj: Annotated, key: string): boolean {
  return annotation(obj, key) !== undefined;
}

/** The claim's class: the beta annotation, else spec.storageClassName; "" (no class) when neither. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return annotation(claim, ANN_BETA_STORAGE_CLASS) ?? claim.spec?.storageClassName ?? "";
}

/** The volume's class, read the same way as a claim's. */
export function volumeClass(volume: PersistentVolume): string {
  return annotation(volume, ANN_BETA_STORAGE_CLASS) ?? volume.spec?.storageClassName ?? "";
}

/** The provisioner a claim waits for, if the binder handed it to one. */
export function claimProvisioner(claim: PersistentVolumeClaim): string | undefined {
  return (
    annotation(claim, ANN_STORAGE_PROVISIONER) ?? annotation(claim, ANN_BETA_STORAGE_PROVISIONER)
  );
}

export function isDefaultClass(sc: StorageClass): boolean {
  return (
    annotation(sc, ANN_DEFAULT_CLASS) === "true" ||
    annotation(sc, ANN_BETA_DEFAULT_CLASS) === "true"
  );
}

export function isWaitForFirstConsumer(sc: StorageClass | undefined): boolean {
  return sc?.volumeBindingMode === "WaitForFirstConsumer";
}

/** `namespace/name` of a claim, the key the claim informer uses. */
export function claimKey(claim: { metadata?: { namespace?: string; name?: string } }): string {
  return `${claim.metadata?.namespace ?? ""}/${claim.metadata?.name ?? ""}`;
}
