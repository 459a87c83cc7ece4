import type { Node, PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { ownedInformer } from "../common/informers.js";
import { NODES, PERSISTENT_VOLUME_CLAIMS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { claimKey } from "./annotations.js";
import { type ClaimEvent, type ClaimWorld, decideClaim } from "./claim-sync.js";
import { Fresher } from "./fresher.js";
import { PERSISTENT_VOLUMES, STORAGE_CLASSES } from "./resources.js";
import { decideReclaim, decideVolume } from "./volume-sync.js";
import { BindingWriter } from "./writer.js";

const CLAIM = "claim:";
const VOLUME = "volume:";

export interface PersistentVolumeControllerOptions {
  /** How often a Pending claim is looked at again without any event (upstream's 15 s resync). */
  readonly resyncMs?: number;
}

/**
 * The PersistentVolume binder (upstream's persistentvolume-binder): binds
 * each unbound claim to the best available volume or to the one it names,
 * hands claims with a provisioning class to their provisioner (after the
 * first consumer's node is chosen, for WaitForFirstConsumer), keeps the
 * phases of both sides, and reclaims a volume whose claim is gone. One
 * queue carries both kinds of key; decisions live in claim-sync.ts and
 * volume-sync.ts, writes in writer.ts.
 */
export class PersistentVolumeController implements RunnableController {
  private readonly controller: Controller;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly nodes: Informer<Node>;
  private readonly claimClient: ResourceClient<PersistentVolumeClaim>;
  private readonly freshClaims = new Fresher<PersistentVolumeClaim>(claimKey);
  private readonly freshVolumes = new Fresher<PersistentVolume>((v) => v.metadata?.name ?? "");
  private readonly writer: BindingWriter;
  private readonly recorder: EventRecorder;
  private readonly resyncMs: number;

  constructor(ctx: ControllerContext, opts: PersistentVolumeControllerOptions = {}) {
    this.resyncMs = opts.resyncMs ?? 15_000;
    this.claims = ownedInformer<PersistentVolumeClaim>(ctx, PERSISTENT_VOLUME_CLAIMS);
    this.volumes = ctx.informers.informerFor<PersistentVolume>(PERSISTENT_VOLUMES);
    this.classes = ctx.informers.informerFor<StorageClass>(STORAGE_CLASSES);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.claimClient = ctx.client(PERSISTENT_VOLUME_CLAIMS);
    this.recorder = ctx.recorder("persistentvolume-controller");
    this.writer = new BindingWriter({
      claims: this.claimClient,
      volumes: ctx.client(PERSISTENT_VOLUMES),
      freshClaims: this.freshClaims,
      freshVolumes: this.freshVolumes,
      clock: ctx.clock,
    });
    this.controller = new Controller({
      name: "persistentvolume-binder",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all(
          [this.claims, this.volumes, this.classes, this.nodes].map((i) => i.waitForSync()),
        );
      },
      log: ctx.log,
    });
    this.watch();
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueueClaim(key: string): void {
    this.controller.enqueue(CLAIM + key);
  }

  private enqueueVolume(name: string): void {
    this.controller.enqueue(VOLUME + name);
  }

  /** Claims still looking for a volume: a volume or class that appears may be theirs. */
  private enqueueUnboundClaims(): void {
    for (const c of this.claims.store.list())
      if (!c.spec?.volumeName) this.enqueueClaim(claimKey(c));
  }

  private watch(): void {
    const claimChanged = (c: PersistentVolumeClaim) => {
      this.enqueueClaim(claimKey(c));
      // The volume's side may need to follow (Bound, or Released once the claim is gone).
      if (c.spec?.volumeName) this.enqueueVolume(c.spec.volumeName);
    };
    this.claims.addEventHandler({
      onAdd: claimChanged,
      onUpdate: (_old, c) => claimChanged(c),
      onDelete: (obj) => {
        const c = objectOf(obj);
        this.freshClaims.forget(claimKey(c));
        claimChanged(c);
        for (const v of this.volumes.store.list())
          if (refKey(v) === claimKey(c)) this.enqueueVolume(v.metadata?.name ?? "");
      },
    });
    const volumeChanged = (v: PersistentVolume) => {
      this.enqueueVolume(v.metadata?.name ?? "");
      const key = refKey(v);
      if (key) this.enqueueClaim(key);
      else this.enqueueUnboundClaims();
    };
    this.volumes.addEventHandler({
      onAdd: volumeChanged,
      onUpdate: (_old, v) => volumeChanged(v),
      onDelete: (obj: PersistentVolume | DeletedFinalStateUnknown<PersistentVolume>) => {
        const v = objectOf(obj);
        this.freshVolumes.forget(v.metadata?.name ?? "");
        const key = refKey(v);
        if (key) this.enqueueClaim(key);
      },
    });
    this.classes.addEventHandler({
      onAdd: () => this.enqueueUnboundClaims(),
      onUpdate: () => this.enqueueUnboundClaims(),
    });
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    if (key.startsWith(CLAIM)) return this.syncClaim(key.slice(CLAIM.length));
    if (key.startsWith(VOLUME)) await this.syncVolume(key.slice(VOLUME.length));
    return undefined;
  }

  private world(): ClaimWorld {
    return {
      volume: (name) => this.volume(name),
      volumes: () => this.volumes.store.list().map((v) => this.volume(v.metadata?.name ?? "") ?? v),
      storageClass: (name) => this.classes.store.get(name),
      node: (name) => this.nodes.store.get(name),
    };
  }

  private volume(name: string): PersistentVolume | undefined {
    return this.freshVolumes.pick(this.volumes.store.get(name), name);
  }

  private async syncClaim(key: string): Promise<RequeueAfter | undefined> {
    const claim = this.freshClaims.pick(this.claims.store.get(key), key);
    if (!claim) return undefined;
    const decision = decideClaim(claim, this.world());
    switch (decision.kind) {
      case "bind":
        await this.writer.bind(decision.volume, claim);
        return undefined;
      case "pending":
        await this.writer.claimPhase(claim, { phase: "Pending" });
        if (decision.event) this.event(claim, decision.event);
        return new RequeueAfter(this.resyncMs);
      case "provision": {
        const handed = await this.writer.handToProvisioner(claim, decision.provisioner);
        await this.writer.claimPhase(handed, { phase: "Pending" });
        this.event(handed, decision.event);
        return new RequeueAfter(this.resyncMs);
      }
      case "lost":
        if (claim.status?.phase !== "Lost") {
          await this.writer.claimPhase(claim, { phase: "Lost" });
          this.event(claim, decision.event);
        }
        return undefined;
      case "invalid":
        throw new Error(decision.message);
    }
  }

  private async syncVolume(name: string): Promise<void> {
    const volume = this.volume(name);
    if (!volume) return;
    const claim = await this.claimOf(volume);
    const decision = decideVolume(volume, claim);
    switch (decision.kind) {
      case "available":
        await this.writer.volumePhase(volume, { phase: "Available" });
        return;
      case "bound":
        await this.writer.volumePhase(volume, { phase: "Bound" });
        return;
      case "syncClaim":
        if (claim) this.enqueueClaim(claimKey(claim));
        return;
      case "unbind":
        await this.writer.unbind(volume);
        return;
      case "release":
        await this.reclaim(volume);
        return;
    }
  }

  /**
   * The claim the volume's claimRef names, with the same UID. A miss in
   * the cache is checked against the API server: releasing a volume on a
   * lagging cache would hand its data to the reclaim policy.
   */
  private async claimOf(volume: PersistentVolume): Promise<PersistentVolumeClaim | undefined> {
    const ref = volume.spec?.claimRef;
    if (!ref?.uid) return undefined;
    const key = `${ref.namespace ?? ""}/${ref.name ?? ""}`;
    const cached = this.freshClaims.pick(this.claims.store.get(key), key);
    if (cached?.metadata?.uid === ref.uid) return cached;
    try {
      const live = await this.claimClient.get(ref.name ?? "", { namespace: ref.namespace ?? "" });
      return live.metadata?.uid === ref.uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Released, then what the reclaim policy says; a Failed volume keeps its phase while retried. */
  private async reclaim(volume: PersistentVolume): Promise<void> {
    const phase = volume.status?.phase;
    let v = volume;
    if (phase !== "Released" && phase !== "Failed")
      v = await this.writer.volumePhase(volume, { phase: "Released" });
    const decision = decideReclaim(v);
    switch (decision.kind) {
      case "retain":
        return;
      case "delete":
        await this.writer.deleteVolume(v);
        return;
      case "external":
        if (phase !== "Released")
          this.event(v, {
            type: "Normal",
            reason: "ExternalDelete",
            message: `waiting for the volume to be deleted by its provisioner "${decision.provisioner}" or manually`,
          });
        return;
      case "fail":
        if (phase !== "Failed") {
          await this.writer.volumePhase(v, { phase: "Failed", message: decision.message });
          this.event(v, { type: "Warning", reason: decision.reason, message: decision.message });
        }
        return;
    }
  }

  /** Events name their object's kind (informer objects carry none); only claims are namespaced. */
  private event(obj: PersistentVolume | PersistentVolumeClaim, e: ClaimEvent): void {
    const kind = obj.metadata?.namespace ? "PersistentVolumeClaim" : "PersistentVolume";
    this.recorder.event({ ...obj, apiVersion: "v1", kind }, e);
  }
}

/** `namespace/name` of the claim a volume's claimRef names, if any. */
function refKey(volume: PersistentVolume): string | undefined {
  const ref = volume.spec?.claimRef;
  return ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : undefined;
}
