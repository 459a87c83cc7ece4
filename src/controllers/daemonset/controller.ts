import type { ControllerRevision, DaemonSet, DaemonSetStatus } from "kubernetes-types/apps/v1.js";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { claimObjects } from "../common/claimer.js";
import { controllerOf, newControllerRef } from "../common/controller-ref.js";
import { Expectations } from "../common/expectations.js";
import { claimCandidates, ownedInformer, podInformer } from "../common/informers.js";
import { ownerStillValid, writeStatus } from "../common/owner-io.js";
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS } from "../common/resources.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../history/revision.js";
import { deleteRevisions } from "../history/store.js";
import { revisionsToTruncate } from "../history/truncate.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { FailedPodBackoff } from "./backoff.js";
import { type NodeFit, nodeShouldRunDaemonPod } from "./eligibility.js";
import {
  DAEMON_SET_COMPONENT,
  DAEMON_SET_GVK,
  daemonSetSelector,
  selectsEverything,
} from "./kinds.js";
import { planDaemonPods, podsByNode } from "./placement.js";
import { DaemonPodWriter, daemonSetRef } from "./pod-writer.js";
import { constructHistory } from "./revisions.js";
import { planRollingUpdate } from "./rolling.js";
import { daemonCounts, nextDaemonStatus } from "./status.js";

/** What one sync saw: the inputs of every pure step. */
export interface SyncView {
  readonly ds: DaemonSet;
  readonly key: string;
  readonly pods: Pod[];
  readonly nodes: Node[];
  readonly byNode: Map<string, Pod[]>;
  readonly hash: string;
  readonly fit: (node: Node) => NodeFit;
  readonly now: number;
}

/**
 * Runs one copy of a pod on every eligible node (upstream's
 * DaemonSetsController). sync(key) claims the DaemonSet's pods and
 * ControllerRevisions, makes sure the current template has the newest
 * revision, then — unless earlier creates or deletes are still unseen —
 * creates pods for nodes lacking one and deletes pods that should not be
 * where they are; when that leaves nothing to do, it takes a rolling
 * update step. Daemon pods are created unbound, pinned to their node by
 * node affinity, so the scheduler binds them. Finally it writes status.
 */
export class DaemonSetController implements RunnableController {
  private readonly controller: Controller;
  private readonly sets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly revisions: Informer<ControllerRevision>;
  private readonly setClient: ResourceClient<DaemonSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly recorder: EventRecorder;
  private readonly writer: DaemonPodWriter;
  readonly expectations: Expectations;

  constructor(private readonly ctx: ControllerContext) {
    this.expectations = new Expectations({ clock: ctx.clock });
    this.sets = ctx.informers.informerFor<DaemonSet>(DAEMON_SETS);
    this.pods = podInformer(ctx);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.revisions = ownedInformer<ControllerRevision>(ctx, CONTROLLER_REVISIONS);
    this.setClient = ctx.client(DAEMON_SETS);
    this.podClient = ctx.client(PODS);
    this.revisionClient = ctx.client(CONTROLLER_REVISIONS);
    this.recorder = ctx.recorder(DAEMON_SET_COMPONENT);
    this.writer = new DaemonPodWriter({
      pods: this.podClient,
      recorder: this.recorder,
      expectations: this.expectations,
      backoff: new FailedPodBackoff(ctx.clock),
    });
    this.controller = new Controller({
      name: DAEMON_SET_COMPONENT,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all(
          [this.sets, this.pods, this.nodes, this.revisions].map((i) => i.waitForSync()),
        );
      },
      log: ctx.log,
    });
    this.sets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        const key = objectKey(objectOf(ds));
        this.expectations.delete(key);
        this.controller.enqueue(key);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
    this.nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(undefined, node),
      onUpdate: (old, node) => this.nodeChanged(old, node),
      // Unbound pods aimed at a vanished node are the controller's to delete.
      onDelete: () => {
        for (const ds of this.sets.store.list()) this.enqueue(ds);
      },
    });
    this.revisions.addEventHandler({
      onAdd: (rev) => this.revisionChanged(rev),
      onUpdate: (_old, rev) => this.revisionChanged(rev),
      onDelete: (rev) => this.revisionChanged(objectOf(rev)),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueue(ds: DaemonSet): void {
    this.controller.enqueue(objectKey(ds));
  }

  /** The DaemonSet controlling `obj`, if it is in the cache with the same UID. */
  private ownerOf(obj: Pod | ControllerRevision): DaemonSet | undefined {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== DAEMON_SET_GVK.kind) return undefined;
    const ds = this.sets.store.get(`${obj.metadata?.namespace ?? ""}/${ref.name}`);
    return ds?.metadata?.uid === ref.uid ? ds : undefined;
  }

  /** DaemonSets in the object's namespace whose selector matches it (candidates to adopt an orphan). */
  private matchingSets(obj: Pod | ControllerRevision): DaemonSet[] {
    const labels = obj.metadata?.labels ?? {};
    return this.sets.store
      .byIndex("namespace", obj.metadata?.namespace ?? "")
      .filter((ds) => daemonSetSelector(ds).matches(labels));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    if (controllerOf(pod)) {
      const ds = this.ownerOf(pod);
      if (!ds) return;
      this.expectations.creationObserved(objectKey(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.matchingSets(pod)) this.enqueue(ds);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    // Graceful deletion started: count it as observed now so the replacement is not held back.
    if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) this.podDeleted(pod);
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.ownerOf(old);
      if (previous) this.enqueue(previous);
    }
    const ds = this.ownerOf(pod);
    if (ds) this.enqueue(ds);
    else if (!ref) for (const d of this.matchingSets(pod)) this.enqueue(d);
  }

  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const ds = this.ownerOf(pod);
    if (!ds) return;
    const key = objectKey(ds);
    this.expectations.deletionObserved(key, pod.metadata?.uid ?? "");
    this.controller.enqueue(key);
  }

  /** Only label, taint and cordon changes can change where daemons run (upstream's shouldIgnoreNodeUpdate). */
  private nodeChanged(old: Node | undefined, node: Node): void {
    if (
      old &&
      JSON.stringify(old.metadata?.labels ?? {}) === JSON.stringify(node.metadata?.labels ?? {}) &&
      JSON.stringify(old.spec?.taints ?? []) === JSON.stringify(node.spec?.taints ?? []) &&
      Boolean(old.spec?.unschedulable) === Boolean(node.spec?.unschedulable)
    )
      return;
    for (const ds of this.sets.store.list()) {
      const now = nodeShouldRunDaemonPod(node, ds);
      if (!old) {
        if (now.shouldRun) this.enqueue(ds);
        continue;
      }
      const before = nodeShouldRunDaemonPod(old, ds);
      if (
        before.shouldRun !== now.shouldRun ||
        before.shouldContinueRunning !== now.shouldContinueRunning
      )
        this.enqueue(ds);
    }
  }

  private revisionChanged(rev: ControllerRevision): void {
    const ds = this.ownerOf(rev);
    if (ds) this.enqueue(ds);
    else if (!controllerOf(rev)) for (const d of this.matchingSets(rev)) this.enqueue(d);
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const ds = this.sets.store.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return undefined;
    }
    if (selectsEverything(ds)) {
      this.recorder.event(this.ref(ds), {
        type: "Warning",
        reason: "SelectingAll",
        message: "This daemon set is selecting all pods. A non-empty selector is required.",
      });
      return undefined;
    }
    // Its revisions may already be going with it: status would be meaningless.
    if (ds.metadata?.deletionTimestamp) return undefined;

    const pods = await this.claim(ds, this.pods, this.podClient);
    const revisions = await this.claim(ds, this.revisions, this.revisionClient);
    const history = await constructHistory(ds, {
      revisions,
      pods,
      revisionClient: this.revisionClient,
      podClient: this.podClient,
    });
    const fits = new Map<string, NodeFit>();
    const view: SyncView = {
      ds,
      key,
      pods,
      nodes: this.nodes.store.list(),
      byNode: podsByNode(pods),
      hash: history.hash,
      now: this.ctx.clock.now(),
      fit: (node) => {
        const name = node.metadata?.name ?? "";
        const known = fits.get(name);
        if (known) return known;
        const f = nodeShouldRunDaemonPod(node, ds);
        fits.set(name, f);
        return f;
      },
    };

    const satisfied = this.expectations.satisfied(key);
    let updateError: unknown;
    let wait: number | undefined;
    if (satisfied) {
      try {
        wait = await this.update(view);
        await this.cleanupHistory(ds, { old: history.old, pods });
      } catch (err) {
        updateError = err;
      }
    }

    const counts = daemonCounts(ds, view);
    const collisionCount =
      history.collisionCount > 0 || ds.status?.collisionCount !== undefined
        ? history.collisionCount
        : undefined;
    const status = nextDaemonStatus(ds, { counts, observe: satisfied, collisionCount });
    if (status) await this.writeStatus(ds, status);
    if (updateError !== undefined) throw updateError;

    // A ready pod becomes available minReadySeconds later: look again then.
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable)
      wait = Math.min(wait ?? Number.POSITIVE_INFINITY, minReady * 1000);
    return wait !== undefined ? new RequeueAfter(wait) : undefined;
  }

  /** Claims (adopts / releases) the DaemonSet's pods or revisions. */
  private claim<T extends Pod | ControllerRevision>(
    ds: DaemonSet,
    informer: Informer<T>,
    client: ResourceClient<T>,
  ): Promise<T[]> {
    const namespace = ds.metadata?.namespace ?? "";
    const uid = ds.metadata?.uid ?? "";
    return claimObjects<T>({
      client,
      namespace,
      owner: { uid, deleting: ds.metadata?.deletionTimestamp !== undefined },
      controllerRef: newControllerRef(ds, DAEMON_SET_GVK),
      selector: daemonSetSelector(ds),
      objects: claimCandidates(informer, { uid, namespace }),
      ownerStillValid: () => this.stillValid(ds),
    });
  }

  /**
   * The manage step, or when it has nothing to do, a rolling update step.
   * Returns how long until a failed pod held back by backoff may go.
   */
  private async update(view: SyncView): Promise<number | undefined> {
    const plan = planDaemonPods(view.ds, view);
    const { deletions, wait } = this.writer.admitDeletions(view.ds, plan.delete);
    if (plan.createOn.length > 0 || deletions.length > 0) {
      await this.writer.syncNodes(view, {
        createOn: plan.createOn,
        deletePods: deletions.map((d) => d.pod),
      });
      return wait;
    }
    if ((view.ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
      const step = planRollingUpdate(view.ds, view);
      if (step.createOn.length > 0 || step.delete.length > 0)
        await this.writer.syncNodes(view, { createOn: step.createOn, deletePods: step.delete });
    }
    return wait;
  }

  /** Deletes old revisions beyond revisionHistoryLimit that no pod runs any more (upstream's cleanupHistory). */
  private async cleanupHistory(
    ds: DaemonSet,
    opts: { old: readonly ControllerRevision[]; pods: readonly Pod[] },
  ): Promise<void> {
    const live = new Set(
      opts.pods.map((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ""),
    );
    const doomed = revisionsToTruncate(opts.old, {
      isLive: (r) => live.has(r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ""),
      limit: ds.spec?.revisionHistoryLimit,
    });
    await deleteRevisions(this.revisionClient, doomed);
  }

  /** The DaemonSet as events see it (informer objects carry no kind). */
  private ref(ds: DaemonSet): DaemonSet {
    return daemonSetRef(ds);
  }

  /** Re-reads the DaemonSet: adopt only into a live owner with the same UID. */
  private stillValid(cached: DaemonSet): Promise<boolean> {
    return ownerStillValid(this.setClient, cached);
  }

  private writeStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    return writeStatus(this.setClient, ds, status);
  }
}
