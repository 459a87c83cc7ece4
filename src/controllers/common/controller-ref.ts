import type { OwnerReference } from "kubernetes-types/meta/v1.js";

interface Owned {
  metadata?: { ownerReferences?: OwnerReference[] | undefined } | undefined;
}

interface Owner {
  metadata?: { name?: string | undefined; uid?: string | undefined } | undefined;
}

/** The owner reference with controller=true, if any (upstream's metav1.GetControllerOf). */
export function controllerOf(obj: Owned): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** A controller reference to `owner` of kind `kind` (blockOwnerDeletion set, as upstream). */
export function newControllerRef(
  owner: Owner,
  gvk: { apiVersion: string; kind: string },
): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when `obj` is controlled by the object with this UID. */
export function isControlledBy(obj: Owned, uid: string | undefined): boolean {
  return uid !== undefined && controllerOf(obj)?.uid === uid;
}
