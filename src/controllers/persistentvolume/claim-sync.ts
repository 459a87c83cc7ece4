/**
 * What to do with a claim (upstream syncClaim / syncUnboundClaim /
 * syncBoundClaim), decided from values: the caller reads the caches,
 * this says which writes and events follow.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  annotation,
  claimClass,
  hasAnnotation,
  isWaitForFirstConsumer,
} from "./annotations.js";
import { findBestMatch, isVolumeBoundToClaim, volumeMismatch } from "./matching.js";

/** What the claim sync reads: the caches as lookups. */
export interface ClaimWorld {
  volume(name: string): PersistentVolume | undefined;
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  node(name: string): Node | undefined;
}

export interface ClaimEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

export type ClaimDecision =
  /** Bind the pair (each step is skipped when already done). */
  | { readonly kind: "bind"; readonly volume: PersistentVolume }
  /** Stay Pending, reporting why. */
  | { readonly kind: "pending"; readonly event?: ClaimEvent }
  /** Hand the claim to `provisioner` (annotate it) and stay Pending. */
  | { readonly kind: "provision"; readonly provisioner: string; readonly event: ClaimEvent }
  /** The claim's volume is gone or taken: Lost, for good. */
  | { readonly kind: "lost"; readonly event: ClaimEvent }
  /** A state only a broken invariant explains: retry with backoff. */
  | { readonly kind: "invalid"; readonly message: string };

export function decideClaim(claim: PersistentVolumeClaim, world: ClaimWorld): ClaimDecision {
  return hasAnnotation(claim, ANN_BIND_COMPLETED)
    ? decideBoundClaim(claim, world)
    : decideUnboundClaim(claim, world);
}

const lost = (reason: string, message: string): ClaimDecision => ({
  kind: "lost",
  event: { type: "Warning", reason, message },
});

/** A claim that was bound once: keep it bound, or declare it Lost. */
function decideBoundClaim(claim: PersistentVolumeClaim, world: ClaimWorld): ClaimDecision {
  const name = claim.spec?.volumeName ?? "";
  if (name === "")
    return lost(
      "ClaimLost",
      "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
    );
  const volume = world.volume(name);
  if (!volume)
    return lost(
      "ClaimLost",
      "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
    );
  const ref = volume.spec?.claimRef;
  // An unbound volume: either it came unbound or our cache lags our own write; bind again.
  if (!ref || ref.uid === claim.metadata?.uid) return { kind: "bind", volume };
  return lost(
    "ClaimMisbound",
    "Two claims are bound to the same volume, this one is bound incorrectly",
  );
}

function decideUnboundClaim(claim: PersistentVolumeClaim, world: ClaimWorld): ClaimDecision {
  return claim.spec?.volumeName
    ? decidePreBoundClaim(claim, world)
    : decideClaimWithoutVolume(claim, world);
}

/** The user did not name a volume: take the best match, or wait, or provision. */
function decideClaimWithoutVolume(claim: PersistentVolumeClaim, world: ClaimWorld): ClaimDecision {
  const className = claimClass(claim);
  const sc = className ? world.storageClass(className) : undefined;
  const selectedNode = annotation(claim, ANN_SELECTED_NODE);
  const delayBinding = isWaitForFirstConsumer(sc) && selectedNode === undefined;
  const volume = findBestMatch(claim, {
    volumes: world.volumes(),
    options: {
      delayBinding,
      nodeSelected: selectedNode !== undefined,
      node: selectedNode === undefined ? undefined : world.node(selectedNode),
    },
  });
  if (volume) return { kind: "bind", volume };
  if (delayBinding) {
    return {
      kind: "pending",
      event: {
        type: "Normal",
        reason: "WaitForFirstConsumer",
        message: "waiting for first consumer to be created before binding",
      },
    };
  }
  if (className === "") {
    return {
      kind: "pending",
      event: {
        type: "Normal",
        reason: "FailedBinding",
        message: "no persistent volumes available for this claim and no storage class is set",
      },
    };
  }
  if (!sc) {
    return {
      kind: "pending",
      event: {
        type: "Warning",
        reason: "ProvisioningFailed",
        message: `storageclass.storage.k8s.io "${className}" not found`,
      },
    };
  }
  return {
    kind: "provision",
    provisioner: sc.provisioner,
    event: {
      type: "Normal",
      reason: "ExternalProvisioning",
      message: `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    },
  };
}

/** The user named a volume in spec.volumeName: bind to exactly that one, when it allows. */
function decidePreBoundClaim(claim: PersistentVolumeClaim, world: ClaimWorld): ClaimDecision {
  const name = claim.spec?.volumeName ?? "";
  const volume = world.volume(name);
  if (!volume) {
    return {
      kind: "pending",
      event: { type: "Normal", reason: "FailedBinding", message: `volume "${name}" not found` },
    };
  }
  if (!volume.spec?.claimRef) {
    const why = volumeMismatch(claim, volume);
    if (why === undefined) return { kind: "bind", volume };
    return {
      kind: "pending",
      event: {
        type: "Warning",
        reason: "VolumeMismatch",
        message: `Cannot bind to requested volume "${name}": ${why}`,
      },
    };
  }
  if (isVolumeBoundToClaim(volume, claim)) return { kind: "bind", volume };
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
    // The user asked for a volume someone else holds: wait until it is free.
    return {
      kind: "pending",
      event: {
        type: "Warning",
        reason: "FailedBinding",
        message: `volume "${name}" already bound to a different claim.`,
      },
    };
  }
  return {
    kind: "invalid",
    message: `invalid binding of claim ${claim.metadata?.namespace}/${claim.metadata?.name} to volume "${name}": volume already claimed by ${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}`,
  };
}
