import type {
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
} from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isAlreadyExists, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { parseQuantityJSON } from "../../machinery/quantity/index.js";
import { ownedInformer, podInformer } from "../common/informers.js";
import { NODES, PERSISTENT_VOLUME_CLAIMS, PODS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { claimKey } from "../persistentvolume/annotations.js";
import { PERSISTENT_VOLUMES, STORAGE_CLASSES } from "../persistentvolume/resources.js";
import { LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, localPathClass } from "./class.js";
import { HELPER_VOLUME_LABEL } from "./helper-pod.js";
import { decideProvision, HOSTNAME_LABEL, shouldDelete, volumeLocation } from "./plan.js";
import { type DataRemover, HelperPodRemover } from "./remover.js";

type Event = { type: "Normal" | "Warning"; reason: string; message: string };

const CLAIM = "claim:";
const VOLUME = "volume:";
const CLASS = "class";

export interface LocalPathProvisionerOptions {
  /** Where volumes live on every node (k8ts default "/var/lib/k8ts/storage"). */
  readonly basePath?: string;
  /** The helper pods' image (default "busybox"). */
  readonly helperImage?: string;
  /** Where helper pods run (default "kube-system", as k3s deploys it). */
  readonly namespace?: string;
  /** Removes a deleted volume's data (default: helper pods). Tests observe it here. */
  readonly remover?: DataRemover;
  /** How often a volume whose data is being removed is looked at without events (default 5 s). */
  readonly pollMs?: number;
}

/**
 * What rancher's local-path-provisioner does in k3s: makes sure the default
 * `local-path` StorageClass exists; for each claim handed to
 * `rancher.io/local-path` whose node is chosen, creates a hostPath volume
 * under basePath on that node, pre-bound to the claim; and when such a
 * volume is Released with reclaim policy Delete, removes its directory
 * (a helper pod on the node) and then the PV.
 */
export class LocalPathProvisioner implements RunnableController {
  private readonly controller: Controller;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly volumeClient: ResourceClient<PersistentVolume>;
  private readonly classClient: ResourceClient<StorageClass>;
  private readonly recorder: EventRecorder;
  private readonly remover: DataRemover;
  private readonly basePath: string;
  private readonly pollMs: number;
  /**
   * UIDs of volumes this provisioner deleted that the cache still shows:
   * their data is gone, and a stale Released copy must not start another
   * helper pod.
   */
  private readonly deleted = new Set<string>();
  /** Names of volumes created but not yet in the cache: a re-sync must not create them again. */
  private readonly created = new Set<string>();

  constructor(ctx: ControllerContext, opts: LocalPathProvisionerOptions = {}) {
    this.basePath = opts.basePath ?? "/var/lib/k8ts/storage";
    this.pollMs = opts.pollMs ?? 5000;
    this.claims = ownedInformer<PersistentVolumeClaim>(ctx, PERSISTENT_VOLUME_CLAIMS);
    this.volumes = ctx.informers.informerFor<PersistentVolume>(PERSISTENT_VOLUMES);
    this.classes = ctx.informers.informerFor<StorageClass>(STORAGE_CLASSES);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.pods = podInformer(ctx);
    this.volumeClient = ctx.client(PERSISTENT_VOLUMES);
    this.classClient = ctx.client(STORAGE_CLASSES);
    this.recorder = ctx.recorder(LOCAL_PATH_PROVISIONER);
    this.remover =
      opts.remover ??
      new HelperPodRemover({
        pods: ctx.client(PODS),
        podCache: this.pods.store,
        namespace: opts.namespace ?? "kube-system",
        image: opts.helperImage ?? "busybox",
        clock: ctx.clock,
      });
    this.controller = new Controller({
      name: "local-path-provisioner",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        const all = [this.claims, this.volumes, this.classes, this.nodes, this.pods];
        await Promise.all(all.map((i) => i.waitForSync()));
      },
      log: ctx.log,
    });
    this.watch();
  }

  async run(workers: number): Promise<void> {
    await this.controller.run(workers);
    // Once, at start: a class the administrator deleted later stays deleted (as in k3s).
    this.controller.enqueue(CLASS);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private watch(): void {
    const claim = (c: PersistentVolumeClaim) => this.controller.enqueue(CLAIM + claimKey(c));
    this.claims.addEventHandler({ onAdd: claim, onUpdate: (_o, c) => claim(c) });
    const volume = (v: PersistentVolume) =>
      this.controller.enqueue(VOLUME + (v.metadata?.name ?? ""));
    this.volumes.addEventHandler({
      onAdd: (v) => {
        this.created.delete(v.metadata?.name ?? "");
        volume(v);
      },
      onUpdate: (_o, v) => volume(v),
      onDelete: (v) => this.deleted.delete(objectOf(v).metadata?.uid ?? ""),
    });
    // A class or node appearing can unblock claims that were waiting for it.
    const unboundClaims = () => {
      for (const c of this.claims.store.list()) if (!c.spec?.volumeName) claim(c);
    };
    this.classes.addEventHandler({ onAdd: unboundClaims });
    this.nodes.addEventHandler({ onAdd: unboundClaims });
    const helper = (p: Pod) => {
      const name = p.metadata?.labels?.[HELPER_VOLUME_LABEL];
      if (name) this.controller.enqueue(VOLUME + name);
    };
    this.pods.addEventHandler({
      onAdd: helper,
      onUpdate: (_o, p) => helper(p),
      onDelete: (p) => helper(objectOf(p)),
    });
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    if (key === CLASS) await this.ensureClass();
    else if (key.startsWith(CLAIM)) await this.provision(key.slice(CLAIM.length));
    else if (key.startsWith(VOLUME)) return this.cleanUp(key.slice(VOLUME.length));
    return undefined;
  }

  /** The default class k3s ships, created if missing. */
  private async ensureClass(): Promise<void> {
    if (this.classes.store.get(LOCAL_PATH_CLASS)) return;
    try {
      await this.classClient.create(localPathClass());
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async provision(key: string): Promise<void> {
    const claim = this.claims.store.get(key);
    if (!claim) return;
    const decision = decideProvision(claim, {
      provisioner: LOCAL_PATH_PROVISIONER,
      basePath: this.basePath,
      storageClass: (name) => this.classes.store.get(name),
      node: (name) => this.nodes.store.get(name),
      volumeExists: (name) => this.created.has(name) || this.volumes.store.get(name) !== undefined,
    });
    switch (decision.kind) {
      case "skip":
        return;
      case "retry":
        this.claimEvent(claim, failed(decision.message));
        throw new Error(decision.message);
      case "fail":
        this.claimEvent(claim, failed(decision.message));
        return;
      case "create":
        await this.create(claim, decision.volume);
        return;
    }
  }

  private async create(claim: PersistentVolumeClaim, volume: PersistentVolume): Promise<void> {
    const name = volume.metadata?.name ?? "";
    this.claimEvent(claim, {
      type: "Normal",
      reason: "Provisioning",
      message: `External provisioner is provisioning volume for claim "${claimKey(claim)}"`,
    });
    try {
      await this.volumeClient.create(volume);
      if (!this.volumes.store.get(name)) this.created.add(name);
    } catch (err) {
      // An earlier attempt made it; the cache had not shown it yet.
      if (isAlreadyExists(err)) return;
      this.claimEvent(claim, failed(`failed to create volume ${name}: ${String(err)}`));
      throw err;
    }
    this.claimEvent(claim, {
      type: "Normal",
      reason: "ProvisioningSucceeded",
      message: `Successfully provisioned volume ${name}`,
    });
  }

  /** A Released volume of ours with reclaim Delete: its data goes first, then the PV. */
  private async cleanUp(name: string): Promise<RequeueAfter | undefined> {
    const volume = this.volumes.store.get(name);
    if (!volume || !shouldDelete(volume, LOCAL_PATH_PROVISIONER)) return undefined;
    const uid = volume.metadata?.uid ?? "";
    if (this.deleted.has(uid)) return undefined;
    const where = volumeLocation(volume);
    if ("error" in where) {
      this.volumeEvent(volume, deleteFailed(`failed to delete volume ${name}: ${where.error}`));
      return undefined;
    }
    let progress: "done" | "pending";
    try {
      progress = await this.remover.remove({
        volume: name,
        path: where.path,
        node: this.nodeNamed(where.hostname),
        ...sizeOf(volume),
      });
    } catch (err) {
      this.volumeEvent(volume, deleteFailed(err instanceof Error ? err.message : String(err)));
      throw err;
    }
    if (progress === "pending") return new RequeueAfter(this.pollMs);
    try {
      await this.volumeClient.delete(name, { preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    // Only while the cache still shows it; its delete event clears the entry.
    if (this.volumes.store.get(name)?.metadata?.uid === uid) this.deleted.add(uid);
    return undefined;
  }

  /** The node whose hostname label is `hostname` (usually the node of that name). */
  private nodeNamed(hostname: string): string {
    if (this.nodes.store.get(hostname)) return hostname;
    const node = this.nodes.store
      .list()
      .find((n) => n.metadata?.labels?.[HOSTNAME_LABEL] === hostname);
    return node?.metadata?.name ?? hostname;
  }

  private claimEvent(claim: PersistentVolumeClaim, e: Event): void {
    this.recorder.event({ ...claim, apiVersion: "v1", kind: "PersistentVolumeClaim" }, e);
  }

  private volumeEvent(volume: PersistentVolume, e: Event): void {
    this.recorder.event({ ...volume, apiVersion: "v1", kind: "PersistentVolume" }, e);
  }
}

const failed = (message: string): Event => ({
  type: "Warning",
  reason: "ProvisioningFailed",
  message,
});

const deleteFailed = (message: string): Event => ({
  type: "Warning",
  reason: "VolumeFailedDelete",
  message,
});

function sizeOf(volume: PersistentVolume): { sizeBytes?: number } {
  try {
    return { sizeBytes: parseQuantityJSON(volume.spec?.capacity?.storage).value() };
  } catch {
    return {};
  }
}
