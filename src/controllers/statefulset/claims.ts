import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { newControllerRef } from "../common/controller-ref.js";
import { POD_GVK, STATEFUL_SET_GVK } from "./kinds.js";

/** `<template>-<set>-<ordinal>`: the claim one ordinal keeps across pod restarts. */
export function claimName(template: string, opts: { set: string; ordinal: number }): string {
  return `${template}-${opts.set}-${opts.ordinal}`;
}

/**
 * The claims of one ordinal (upstream's getPersistentVolumeClaims): each
 * template named for the ordinal and labelled with the set's selector
 * labels so the claims are found by them too.
 */
export function claimsForOrdinal(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const meta = t.metadata ?? {};
    return {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name: claimName(meta.name ?? "", { set: set.metadata?.name ?? "", ordinal }),
        namespace: set.metadata?.namespace ?? "",
        labels: { ...(meta.labels ?? {}), ...selectorLabels },
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    };
  });
}

export interface RetentionPolicy {
  readonly whenDeleted: "Retain" | "Delete";
  readonly whenScaled: "Retain" | "Delete";
}

/** persistentVolumeClaimRetentionPolicy, Retain for both when unset. */
export function retentionPolicy(set: StatefulSet): RetentionPolicy {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  const one = (v: string | undefined) => (v === "Delete" ? "Delete" : "Retain");
  return { whenDeleted: one(p?.whenDeleted), whenScaled: one(p?.whenScaled) };
}

interface Owners {
  readonly set: StatefulSet;
  readonly pod: Pod;
  /** The pod's ordinal lies outside the set's range (it is being scaled away). */
  readonly scaledDown: boolean;
}

type Named = { metadata?: { name?: string | undefined; uid?: string | undefined } | undefined };

function refersTo(ref: OwnerReference, obj: Named, gvk: { apiVersion: string; kind: string }) {
  return (
    ref.apiVersion === gvk.apiVersion && ref.kind === gvk.kind && ref.name === obj.metadata?.name
  );
}

function hasOwner(claim: PersistentVolumeClaim, owner: Named): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && (claim.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);
}

/** A reference naming our set or pod with another UID: left over from a namesake. */
function hasStaleOwner(claim: PersistentVolumeClaim, o: Owners): boolean {
  return (claim.metadata?.ownerReferences ?? []).some(
    (r) =>
      (refersTo(r, o.set, STATEFUL_SET_GVK) && r.uid !== o.set.metadata?.uid) ||
      (refersTo(r, o.pod, POD_GVK) && r.uid !== o.pod.metadata?.uid),
  );
}

/** Some other controller owns the claim (only matters when a policy deletes). */
function hasOtherController(claim: PersistentVolumeClaim, o: Owners): boolean {
  const p = retentionPolicy(o.set);
  if (p.whenDeleted === "Retain" && p.whenScaled === "Retain") return false;
  return (claim.metadata?.ownerReferences ?? []).some(
    (r) =>
      r.controller === true &&
      !refersTo(r, o.set, STATEFUL_SET_GVK) &&
      !refersTo(r, o.pod, POD_GVK),
  );
}

/**
 * Which of set and pod should own the claim (upstream's KEP-1847 table):
 * whenDeleted=Delete makes the set an owner, so the garbage collector
 * removes the claim with the set; whenScaled=Delete makes the pod of a
 * scaled-away ordinal the owner instead, so the claim goes with it.
 */
function wantedOwners(o: Owners): { set: boolean; pod: boolean } {
  const p = retentionPolicy(o.set);
  const scaledDelete = p.whenScaled === "Delete";
  const podOwns = scaledDelete && o.scaledDown;
  const setOwns = p.whenDeleted === "Delete" && !podOwns;
  return { set: setOwns, pod: podOwns };
}

/**
 * The claim's owner references are as the retention policy wants
 * (upstream's isClaimOwnerUpToDate). Claims with stale references, or
 * owned by another controller, are left alone.
 */
export function claimOwnersUpToDate(claim: PersistentVolumeClaim, o: Owners): boolean {
  if (hasStaleOwner(claim, o)) return true;
  if (hasOtherController(claim, o)) return !hasOwner(claim, o.set) && !hasOwner(claim, o.pod);
  const nonController = (claim.metadata?.ownerReferences ?? []).some(
    (r) =>
      (r.uid === o.set.metadata?.uid || r.uid === o.pod.metadata?.uid) && r.controller !== true,
  );
  if (nonController) return false;
  const want = wantedOwners(o);
  return hasOwner(claim, o.set) === want.set && hasOwner(claim, o.pod) === want.pod;
}

/**
 * The owner references the claim should carry (upstream's
 * updateClaimOwnerRefForSetAndPod): others' references kept, ours
 * replaced by controller references per the retention policy.
 */
export function claimOwnerRefs(claim: PersistentVolumeClaim, o: Owners): OwnerReference[] {
  const refs = (claim.metadata?.ownerReferences ?? []).filter(
    (r) => !refersTo(r, o.set, STATEFUL_SET_GVK) && !refersTo(r, o.pod, POD_GVK),
  );
  if (hasOtherController(claim, o)) return refs;
  const want = wantedOwners(o);
  if (want.set) refs.push(newControllerRef(o.set, STATEFUL_SET_GVK));
  if (want.pod) refs.push(newControllerRef(o.pod, POD_GVK));
  return refs;
}
