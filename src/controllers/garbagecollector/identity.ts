/**
 * How the garbage collector names objects: the coordinates an
 * ownerReference carries (apiVersion, kind, name, uid) plus the namespace
 * (empty for cluster-scoped objects). Pure.
 */
import type { OwnerReference } from "kubernetes-types/meta/v1.js";

export type { OwnerReference };

export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

export function identityKey(id: ObjectIdentity): string {
  return JSON.stringify([id.apiVersion, id.kind, id.namespace, id.name, id.uid]);
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return identityKey(a) === identityKey(b);
}

/** The owner an ownerReference names, seen from a dependent in `namespace`. */
export function ownerIdentity(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** Whether an ownerReference names exactly this object (namespace aside). */
export function refMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return (
    ref.uid === id.uid &&
    ref.apiVersion === id.apiVersion &&
    ref.kind === id.kind &&
    ref.name === id.name
  );
}

/** Kind and apiVersion first, then namespace, name, uid: a stable order across kinds. */
export function compareIdentities(a: ObjectIdentity, b: ObjectIdentity): number {
  for (const f of ["kind", "apiVersion", "namespace", "name", "uid"] as const) {
    if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
  }
  return 0;
}

export const isBlocking = (ref: OwnerReference): boolean => ref.blockOwnerDeletion === true;
