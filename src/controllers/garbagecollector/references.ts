/**
 * Comparing ownerReferences with each other and with the identities the
 * graph holds: which references changed, which dependents agree on an
 * owner's coordinates, and which other identity to try for a UID. Pure.
 */
import {
  compareIdentities,
  type ObjectIdentity,
  type OwnerReference,
  ownerIdentity,
  refMatches,
  sameIdentity,
} from "./identity.js";

/** What the helpers read of a graph node. */
export interface Dependent {
  readonly identity: ObjectIdentity;
  readonly owners: readonly OwnerReference[];
}

export interface RefChanges {
  readonly added: OwnerReference[];
  readonly removed: OwnerReference[];
  readonly changed: Array<{ readonly old: OwnerReference; readonly now: OwnerReference }>;
}

function sameRef(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? false) === (b.controller ?? false) &&
    (a.blockOwnerDeletion ?? false) === (b.blockOwnerDeletion ?? false)
  );
}

export function diffRefs(
  old: readonly OwnerReference[],
  now: readonly OwnerReference[],
): RefChanges {
  const before = new Map(old.map((r) => [r.uid, r]));
  const out: RefChanges = { added: [], removed: [], changed: [] };
  for (const r of now) {
    const o = before.get(r.uid);
    if (!o) out.added.push(r);
    else if (!sameRef(o, r)) out.changed.push({ old: o, now: r });
    before.delete(r.uid);
  }
  out.removed.push(...before.values());
  return out;
}

/**
 * Splits dependents into those whose reference matches `owner` exactly
 * and those that name its UID with other coordinates (or live in another
 * namespace than a namespaced owner). One dependent can be in both.
 */
export function partitionDependents<D extends Dependent>(
  dependents: Iterable<D>,
  owner: ObjectIdentity,
): { matching: D[]; nonmatching: D[] } {
  const matching: D[] = [];
  const nonmatching: D[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace !== "" && owner.namespace !== dep.identity.namespace) {
      mismatch = true;
    } else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (refMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/**
 * Another identity dependents give the UID of a virtual owner verified
 * absent under `absent`: the first after it in a stable order (else the
 * first), so successive verifications cycle through every candidate.
 */
export function alternateOwnerIdentity(
  dependents: readonly Dependent[],
  absent: ObjectIdentity,
): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === "";
  const candidates: ObjectIdentity[] = [];
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (refMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace))
        continue;
      let id = ownerIdentity(ref, dep.identity.namespace);
      // This apiVersion/kind is known to be cluster-scoped: drop the namespace.
      if (clusterScoped && ref.apiVersion === absent.apiVersion && ref.kind === absent.kind)
        id = { ...id, namespace: "" };
      if (sameIdentity(id, absent) || candidates.some((c) => sameIdentity(c, id))) continue;
      candidates.push(id);
    }
  }
  candidates.sort(compareIdentities);
  return candidates.find((c) => compareIdentities(absent, c) < 0) ?? candidates[0];
}
