/**
 * The writes that make or undo a binding, as new objects (never the cached
 * ones): each returns undefined when the object already says what it should.
 */
import type {
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimStatus,
  PersistentVolumeStatus,
} from "kubernetes-types/core/v1.js";
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, hasAnnotation } from "./annotations.js";
import { isVolumeBoundToClaim } from "./matching.js";

export type VolumePhase = "Pending" | "Available" | "Bound" | "Released" | "Failed";
export type ClaimPhase = "Pending" | "Bound" | "Lost";

function withAnnotation<T extends { metadata?: { annotations?: { [k: string]: string } } }>(
  obj: T,
  key: string,
): T {
  obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [key]: "yes" } };
  return obj;
}

/**
 * The volume with claimRef naming the claim and its UID. A volume the user
 * had not reserved for this claim is marked bound-by-controller, so the
 * controller may take it back later.
 */
export function volumeBoundTo(
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): PersistentVolume | undefined {
  const ref = volume.spec?.claimRef;
  if (
    ref?.uid === claim.metadata?.uid &&
    ref?.name === claim.metadata?.name &&
    ref?.namespace === claim.metadata?.namespace
  )
    return undefined;
  const byUser = isVolumeBoundToClaim(volume, claim);
  const next = structuredClone(volume);
  next.spec = {
    ...next.spec,
    claimRef: {
      kind: "PersistentVolumeClaim",
      apiVersion: "v1",
      namespace: claim.metadata?.namespace ?? "",
      name: claim.metadata?.name ?? "",
      uid: claim.metadata?.uid ?? "",
      ...(claim.metadata?.resourceVersion
        ? { resourceVersion: claim.metadata.resourceVersion }
        : {}),
    },
  };
  return byUser ? next : withAnnotation(next, ANN_BOUND_BY_CONTROLLER);
}

/**
 * The claim naming the volume, with bind-completed; bound-by-controller
 * when the claim had not named this volume itself.
 */
export function claimBoundTo(
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): PersistentVolumeClaim | undefined {
  const name = volume.metadata?.name ?? "";
  const named = claim.spec?.volumeName === name;
  if (named && hasAnnotation(claim, ANN_BIND_COMPLETED)) return undefined;
  let next = structuredClone(claim);
  if (!named) {
    next.spec = { ...next.spec, volumeName: name };
    next = withAnnotation(next, ANN_BOUND_BY_CONTROLLER);
  }
  return withAnnotation(next, ANN_BIND_COMPLETED);
}

/**
 * The volume given up: a binding the controller made is removed entirely;
 * a user's reservation keeps the claim's name but loses the UID, so the
 * claim of that name (or its successor) may take it again.
 */
export function volumeUnbound(volume: PersistentVolume): PersistentVolume {
  const next = structuredClone(volume);
  if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
    const { claimRef: _ref, ...spec } = next.spec ?? {};
    next.spec = spec;
    const { [ANN_BOUND_BY_CONTROLLER]: _ann, ...annotations } = next.metadata?.annotations ?? {};
    next.metadata = { ...next.metadata, annotations };
  } else if (next.spec?.claimRef) {
    const { uid: _uid, resourceVersion: _rv, ...ref } = next.spec.claimRef;
    next.spec = { ...next.spec, claimRef: ref };
  }
  return next;
}

/**
 * The claim's status in `phase`: a Bound claim reports its volume's
 * capacity and access modes, other phases report none.
 */
export function claimStatus(
  claim: PersistentVolumeClaim,
  phase: ClaimPhase,
  volume?: PersistentVolume,
): PersistentVolumeClaimStatus | undefined {
  const current = claim.status ?? {};
  const next: PersistentVolumeClaimStatus = { ...current, phase };
  if (volume) {
    next.accessModes = volume.spec?.accessModes ?? [];
    next.capacity = volume.spec?.capacity ?? {};
  } else {
    delete next.accessModes;
    delete next.capacity;
  }
  return same(current, next) ? undefined : next;
}

/** The volume's status in `phase`, with the time of the transition when the phase changes. */
export function volumeStatus(
  volume: PersistentVolume,
  update: { phase: VolumePhase; message?: string; now: number },
): PersistentVolumeStatus | undefined {
  const current = volume.status ?? {};
  const next: PersistentVolumeStatus = { ...current, phase: update.phase };
  if (update.message) next.message = update.message;
  else delete next.message;
  delete next.reason;
  if (current.phase !== update.phase)
    next.lastPhaseTransitionTime = `${new Date(update.now).toISOString().slice(0, 19)}Z`;
  return same(current, next) ? undefined : next;
}

function same(a: object, b: object): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
  );
}
