/**
 * The binder's writes, in upstream's order, each skipped when the object
 * already says it: volume claimRef, volume phase, claim volumeName and
 * annotations, claim phase. Every write goes against the resourceVersion
 * the decision was made on, so a stale decision fails with a conflict
 * and is made again on fresher state.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import type { Clock } from "../../client/util/clock.js";
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_STORAGE_PROVISIONER,
  annotation,
} from "./annotations.js";
import {
  type ClaimPhase,
  claimBoundTo,
  claimStatus,
  type VolumePhase,
  volumeBoundTo,
  volumeStatus,
  volumeUnbound,
} from "./binding.js";
import type { Fresher } from "./fresher.js";

export interface BindingWriterOptions {
  readonly claims: ResourceClient<PersistentVolumeClaim>;
  readonly volumes: ResourceClient<PersistentVolume>;
  readonly freshClaims: Fresher<PersistentVolumeClaim>;
  readonly freshVolumes: Fresher<PersistentVolume>;
  readonly clock: Clock;
}

export class BindingWriter {
  constructor(private readonly o: BindingWriterOptions) {}

  /** Binds both sides; returns the claim as last written. */
  async bind(
    volume: PersistentVolume,
    claim: PersistentVolumeClaim,
  ): Promise<PersistentVolumeClaim> {
    let v = volume;
    const withRef = volumeBoundTo(v, claim);
    if (withRef) v = this.o.freshVolumes.wrote(await this.o.volumes.update(withRef));
    v = await this.volumePhase(v, { phase: "Bound" });
    let c = claim;
    const named = claimBoundTo(c, v);
    if (named) {
      c = this.o.freshClaims.wrote(
        await this.o.claims.update(named, { namespace: c.metadata?.namespace ?? "" }),
      );
    }
    return this.claimPhase(c, { phase: "Bound", volume: v });
  }

  async claimPhase(
    claim: PersistentVolumeClaim,
    to: { phase: ClaimPhase; volume?: PersistentVolume },
  ): Promise<PersistentVolumeClaim> {
    const status = claimStatus(claim, to.phase, to.volume);
    if (!status) return claim;
    return this.o.freshClaims.wrote(
      await this.o.claims.updateStatus(
        { ...structuredClone(claim), status },
        { namespace: claim.metadata?.namespace ?? "" },
      ),
    );
  }

  async volumePhase(
    volume: PersistentVolume,
    to: { phase: VolumePhase; message?: string },
  ): Promise<PersistentVolume> {
    const status = volumeStatus(volume, { ...to, now: this.o.clock.now() });
    if (!status) return volume;
    return this.o.freshVolumes.wrote(
      await this.o.volumes.updateStatus({ ...structuredClone(volume), status }),
    );
  }

  /** Names the provisioner on the claim (both annotations), unless it already does. */
  async handToProvisioner(
    claim: PersistentVolumeClaim,
    provisioner: string,
  ): Promise<PersistentVolumeClaim> {
    if (
      annotation(claim, ANN_STORAGE_PROVISIONER) === provisioner &&
      annotation(claim, ANN_BETA_STORAGE_PROVISIONER) === provisioner
    )
      return claim;
    const next = structuredClone(claim);
    next.metadata = {
      ...next.metadata,
      annotations: {
        ...next.metadata?.annotations,
        [ANN_STORAGE_PROVISIONER]: provisioner,
        [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
      },
    };
    return this.o.freshClaims.wrote(
      await this.o.claims.update(next, { namespace: claim.metadata?.namespace ?? "" }),
    );
  }

  /** Gives the volume up and makes it Available again. */
  async unbind(volume: PersistentVolume): Promise<PersistentVolume> {
    const v = this.o.freshVolumes.wrote(await this.o.volumes.update(volumeUnbound(volume)));
    return this.volumePhase(v, { phase: "Available" });
  }

  /** Deletes the PV object, only the one decided on (a namesake re-created meanwhile stays). */
  async deleteVolume(volume: PersistentVolume): Promise<void> {
    try {
      await this.o.volumes.delete(volume.metadata?.name ?? "", {
        preconditions: { uid: volume.metadata?.uid ?? "" },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
