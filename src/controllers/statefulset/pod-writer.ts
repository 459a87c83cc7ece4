import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import type { Informer } from "../../client/informer/informer.js";
import { isAlreadyExists, isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { claimOwnerRefs, claimOwnersUpToDate, claimsForOrdinal } from "./claims.js";
import {
  identityMatches,
  inOrdinalRange,
  ordinalOf,
  storageMatches,
  withIdentity,
  withStorage,
} from "./identity.js";
import { STATEFUL_SET_GVK } from "./kinds.js";

/** A claim a pod needs is being deleted: the pod must wait for it to go and be recreated. */
export class ClaimTerminatingError extends Error {
  constructor(readonly claim: string) {
    super(`persistent volume claim ${claim} is being deleted`);
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The StatefulSet controller's writes to pods and claims (upstream's
 * StatefulPodControl), each reported as an event on the set in
 * upstream's wording.
 */
export class StatefulPodWriter {
  constructor(
    private readonly io: {
      pods: ResourceClient<Pod>;
      claims: ResourceClient<PersistentVolumeClaim>;
      claimCache: Informer<PersistentVolumeClaim>;
      recorder: EventRecorder;
    },
  ) {}

  private event(set: StatefulSet, e: { ok: boolean; verb: string; message: string }): void {
    const ref = { ...set, apiVersion: STATEFUL_SET_GVK.apiVersion, kind: STATEFUL_SET_GVK.kind };
    const verb = e.verb[0]?.toUpperCase() + e.verb.slice(1);
    this.io.recorder.event(ref, {
      type: e.ok ? "Normal" : "Warning",
      reason: `${e.ok ? "Successful" : "Failed"}${verb}`,
      message: e.message,
    });
  }

  private cachedClaim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.io.claimCache.store.get(`${namespace}/${name}`);
  }

  /** Creates the pod's claims, then the pod: a pod must never start without its storage. */
  async createPod(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createClaims(set, pod);
    const name = pod.metadata?.name ?? "";
    const setName = set.metadata?.name ?? "";
    try {
      await this.io.pods.create(pod, { namespace: pod.metadata?.namespace ?? "" });
    } catch (err) {
      this.event(set, {
        ok: false,
        verb: "create",
        message: `create Pod ${name} in StatefulSet ${setName} failed error: ${message(err)}`,
      });
      throw err;
    }
    this.event(set, {
      ok: true,
      verb: "create",
      message: `create Pod ${name} in StatefulSet ${setName} successful`,
    });
  }

  /**
   * Creates whichever of the pod's claims do not exist yet. Existing
   * claims are reused as they are: that is the point of stable storage.
   */
  async createClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = ordinalOf(pod);
    const owners = { set, pod, scaledDown: !inOrdinalRange(pod, set) };
    for (const claim of claimsForOrdinal(set, ordinal)) {
      const name = claim.metadata?.name ?? "";
      const namespace = claim.metadata?.namespace ?? "";
      const existing = this.cachedClaim(namespace, name);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) throw new ClaimTerminatingError(name);
        continue;
      }
      const refs = claimOwnerRefs(claim, owners);
      if (refs.length && claim.metadata) claim.metadata.ownerReferences = refs;
      try {
        await this.io.claims.create(claim, { namespace });
      } catch (err) {
        // Made by an earlier sync the cache has not caught up with.
        if (isAlreadyExists(err)) continue;
        this.event(set, {
          ok: false,
          verb: "create",
          message: `create Claim ${name} for Pod ${pod.metadata?.name ?? ""} in StatefulSet ${set.metadata?.name ?? ""} failed error: ${message(err)}`,
        });
        throw err;
      }
      this.event(set, {
        ok: true,
        verb: "create",
        message: `create Claim ${name} Pod ${pod.metadata?.name ?? ""} in StatefulSet ${set.metadata?.name ?? ""} success`,
      });
    }
  }

  /** Deletes the pod (this very one: uid precondition). Its claims stay. */
  async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const setName = set.metadata?.name ?? "";
    try {
      await this.io.pods.delete(name, {
        namespace: pod.metadata?.namespace ?? "",
        preconditions: { uid: pod.metadata?.uid ?? "" },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      this.event(set, {
        ok: false,
        verb: "delete",
        message: `delete Pod ${name} in StatefulSet ${setName} failed error: ${message(err)}`,
      });
      throw err;
    }
    this.event(set, {
      ok: true,
      verb: "delete",
      message: `delete Pod ${name} in StatefulSet ${setName} successful`,
    });
  }

  /** Every existing claim of the pod has the owners the retention policy wants (missing ones are fine). */
  claimsUpToDate(set: StatefulSet, pod: Pod): boolean {
    const owners = { set, pod, scaledDown: !inOrdinalRange(pod, set) };
    return claimsForOrdinal(set, ordinalOf(pod)).every((c) => {
      const existing = this.cachedClaim(c.metadata?.namespace ?? "", c.metadata?.name ?? "");
      return !existing || claimOwnersUpToDate(existing, owners);
    });
  }

  /** Sets the owners of the pod's existing claims per the retention policy. */
  async fixClaimOwners(set: StatefulSet, pod: Pod): Promise<void> {
    const owners = { set, pod, scaledDown: !inOrdinalRange(pod, set) };
    for (const c of claimsForOrdinal(set, ordinalOf(pod))) {
      const namespace = c.metadata?.namespace ?? "";
      const existing = this.cachedClaim(namespace, c.metadata?.name ?? "");
      if (!existing || claimOwnersUpToDate(existing, owners)) continue;
      // resourceVersion makes the patch conditional: owners decided on a stale claim are not written.
      await this.io.claims.patch(
        existing.metadata?.name ?? "",
        {
          metadata: {
            ownerReferences: claimOwnerRefs(existing, owners),
            resourceVersion: existing.metadata?.resourceVersion,
          },
        },
        { namespace, type: "merge" },
      );
    }
  }

  /**
   * Puts back what makes the pod this ordinal (upstream's
   * UpdateStatefulPod): identity labels and claim volumes, creating
   * missing claims first; then the claims' owners.
   */
  async repairPod(set: StatefulSet, pod: Pod): Promise<void> {
    if (!identityMatches(set, pod) || !storageMatches(set, pod)) {
      if (!storageMatches(set, pod)) await this.createClaims(set, pod);
      await this.updatePod(set, pod);
    }
    await this.fixClaimOwners(set, pod);
  }

  private async updatePod(set: StatefulSet, pod: Pod): Promise<void> {
    const namespace = pod.metadata?.namespace ?? "";
    const name = pod.metadata?.name ?? "";
    let base = pod;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.io.pods.update(withStorage(set, withIdentity(set, structuredClone(base))), {
          namespace,
        });
        this.event(set, {
          ok: true,
          verb: "update",
          message: `update Pod ${name} in StatefulSet ${set.metadata?.name ?? ""} successful`,
        });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 1) {
          this.event(set, {
            ok: false,
            verb: "update",
            message: `update Pod ${name} in StatefulSet ${set.metadata?.name ?? ""} failed error: ${message(err)}`,
          });
          throw err;
        }
        base = await this.io.pods.get(name, { namespace });
      }
    }
  }
}
