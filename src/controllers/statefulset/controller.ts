import type {
  ControllerRevision,
  StatefulSet,
  StatefulSetStatus,
} from "kubernetes-types/apps/v1.js";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { slowStartBatch } from "../common/batch.js";
import { claimObjects } from "../common/claimer.js";
import { controllerOf, newControllerRef } from "../common/controller-ref.js";
import { claimCandidates, ownedInformer, podInformer } from "../common/informers.js";
import { ownerStillValid, writeStatus } from "../common/owner-io.js";
import { availableAt, isPodAvailable } from "../common/pod-state.js";
import {
  CONTROLLER_REVISIONS,
  PERSISTENT_VOLUME_CLAIMS,
  PODS,
  STATEFUL_SETS,
} from "../common/resources.js";
import { sortRevisions } from "../history/compare.js";
import { deleteRevisions } from "../history/store.js";
import { revisionsToTruncate } from "../history/truncate.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { isMemberOf, podRevision } from "./identity.js";
import { STATEFUL_SET_COMPONENT, STATEFUL_SET_GVK, statefulSetSelector } from "./kinds.js";
import { planStatefulSet, type StatefulAction, type StatefulPlan } from "./plan.js";
import { StatefulPodWriter } from "./pod-writer.js";
import { resolveRevisions } from "./revision-store.js";
import { applyRevision, findCurrentRevision } from "./revisions.js";
import { sameStatefulStatus, statefulSetStatus } from "./status.js";

/**
 * Gives each replica a stable identity — name `<set>-<ordinal>`, DNS name
 * under the governing Service, and its own PersistentVolumeClaims — and
 * keeps them through restarts, scaling and updates (upstream's
 * StatefulSetController). sync(key) claims the set's pods and
 * ControllerRevisions, finds the current and update revisions, plans one
 * reconcile step (plan.ts) and carries it out, then writes status and
 * trims the revision history.
 */
export class StatefulSetController implements RunnableController {
  private readonly controller: Controller;
  private readonly sets: Informer<StatefulSet>;
  private readonly pods: Informer<Pod>;
  private readonly revisions: Informer<ControllerRevision>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly setClient: ResourceClient<StatefulSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly recorder: EventRecorder;
  private readonly writer: StatefulPodWriter;

  constructor(private readonly ctx: ControllerContext) {
    this.sets = ctx.informers.informerFor<StatefulSet>(STATEFUL_SETS);
    this.pods = podInformer(ctx);
    this.revisions = ownedInformer<ControllerRevision>(ctx, CONTROLLER_REVISIONS);
    this.claims = ownedInformer<PersistentVolumeClaim>(ctx, PERSISTENT_VOLUME_CLAIMS);
    this.setClient = ctx.client(STATEFUL_SETS);
    this.podClient = ctx.client(PODS);
    this.revisionClient = ctx.client(CONTROLLER_REVISIONS);
    this.recorder = ctx.recorder(STATEFUL_SET_COMPONENT);
    this.writer = new StatefulPodWriter({
      pods: this.podClient,
      claims: ctx.client(PERSISTENT_VOLUME_CLAIMS),
      claimCache: this.claims,
      recorder: this.recorder,
    });
    this.controller = new Controller({
      name: STATEFUL_SET_COMPONENT,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all(
          [this.sets, this.pods, this.revisions, this.claims].map((i) => i.waitForSync()),
        );
      },
      log: ctx.log,
    });
    this.sets.addEventHandler({
      onAdd: (set) => this.enqueue(set),
      onUpdate: (_old, set) => this.enqueue(set),
      onDelete: (set) => this.enqueue(objectOf(set)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.childChanged(pod),
      onUpdate: (old, pod) => {
        const oldRef = controllerOf(old);
        if (oldRef && oldRef.uid !== controllerOf(pod)?.uid) {
          const previous = this.ownerOf(old);
          if (previous) this.enqueue(previous);
        }
        this.childChanged(pod);
      },
      onDelete: (pod: Pod | DeletedFinalStateUnknown<Pod>) => {
        const owner = this.ownerOf(objectOf(pod));
        if (owner) this.enqueue(owner);
      },
    });
    this.revisions.addEventHandler({
      onAdd: (rev) => this.childChanged(rev),
      onUpdate: (_old, rev) => this.childChanged(rev),
      onDelete: (rev) => {
        const owner = this.ownerOf(objectOf(rev));
        if (owner) this.enqueue(owner);
      },
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueue(set: StatefulSet): void {
    this.controller.enqueue(objectKey(set));
  }

  /** The StatefulSet controlling `obj`, if it is in the cache with the same UID. */
  private ownerOf(obj: Pod | ControllerRevision): StatefulSet | undefined {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== STATEFUL_SET_GVK.kind) return undefined;
    const set = this.sets.store.get(`${obj.metadata?.namespace ?? ""}/${ref.name}`);
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  /** A controlled object wakes its owner; an orphan wakes every set that could adopt it. */
  private childChanged(obj: Pod | ControllerRevision): void {
    const owner = this.ownerOf(obj);
    if (owner) {
      this.enqueue(owner);
      return;
    }
    if (controllerOf(obj)) return;
    const labels = obj.metadata?.labels ?? {};
    for (const set of this.sets.store.byIndex("namespace", obj.metadata?.namespace ?? ""))
      if (statefulSetSelector(set).matches(labels)) this.enqueue(set);
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const set = this.sets.store.get(key);
    if (!set) return undefined;
    const pods = await this.claimPods(set);
    const revisions = sortRevisions(await this.claimRevisions(set));
    const { update, collisionCount } = await resolveRevisions(set, {
      revisions,
      client: this.revisionClient,
    });
    const current = findCurrentRevision(set, { revisions, update });
    const now = this.ctx.clock.now();
    const currentName = current.metadata?.name ?? "";
    const updateName = update.metadata?.name ?? "";
    const updateSet = applyRevision(set, update);
    const plan = planStatefulSet({
      set,
      currentSet: applyRevision(set, current),
      updateSet,
      currentRevision: currentName,
      updateRevision: updateName,
      pods,
      now,
      claimsUpToDate: (pod) => this.writer.claimsUpToDate(updateSet, pod),
    });
    const failure = await this.execute(plan, { set, updateSet });

    const status = statefulSetStatus(set, {
      pods,
      currentRevision: currentName,
      updateRevision: updateName,
      collisionCount,
      currentReplicasDelta: plan.currentReplicasDelta,
      now,
    });
    if (!sameStatefulStatus(set.status, status)) await this.writeStatus(set, status);

    const live = new Set([currentName, updateName, ...pods.map(podRevision)]);
    const doomed = revisionsToTruncate(revisions, {
      isLive: (r) => live.has(r.metadata?.name ?? ""),
      limit: set.spec?.revisionHistoryLimit,
    });
    await deleteRevisions(this.revisionClient, doomed);
    if (failure !== undefined) throw failure;

    // A ready pod becomes available minReadySeconds later: look again then.
    const minReady = set.spec?.minReadySeconds ?? 0;
    const next = pods
      .filter((p) => !isPodAvailable(p, minReady, now))
      .map((p) => availableAt(p, minReady))
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b)[0];
    return next !== undefined ? new RequeueAfter(Math.max(next - now, 0) + 50) : undefined;
  }

  /** Runs the plan's batches in order; returns the first failure (later batches are skipped). */
  private async execute(
    plan: StatefulPlan,
    ctx: { set: StatefulSet; updateSet: StatefulSet },
  ): Promise<unknown> {
    for (const batch of plan.batches) {
      let next = 0;
      const result = await slowStartBatch(batch.length, () =>
        this.apply(batch[next++] as StatefulAction, ctx),
      );
      if (result.error !== undefined) return result.error;
    }
    return undefined;
  }

  private apply(
    action: StatefulAction,
    ctx: { set: StatefulSet; updateSet: StatefulSet },
  ): Promise<void> {
    const { set, updateSet } = ctx;
    switch (action.type) {
      case "create":
        return this.writer.createPod(set, action.pod);
      case "createClaims":
        return this.writer.createClaims(set, action.pod);
      case "delete":
        return this.writer.deletePod(set, action.pod);
      case "fixPod":
        return this.writer.repairPod(updateSet, action.pod);
      case "fixClaims":
        return this.writer.fixClaimOwners(updateSet, action.pod);
    }
  }

  /** The set's pods: its own plus orphans it may adopt (only ones whose name makes them members). */
  private claimPods(set: StatefulSet): Promise<Pod[]> {
    const namespace = set.metadata?.namespace ?? "";
    const uid = set.metadata?.uid ?? "";
    const candidates = claimCandidates(this.pods, { uid, namespace }).filter(
      (p) => controllerOf(p) !== undefined || isMemberOf(set, p),
    );
    return this.claim(set, { informerObjects: candidates, client: this.podClient });
  }

  private claimRevisions(set: StatefulSet): Promise<ControllerRevision[]> {
    const namespace = set.metadata?.namespace ?? "";
    const uid = set.metadata?.uid ?? "";
    const candidates = claimCandidates(this.revisions, { uid, namespace });
    return this.claim(set, { informerObjects: candidates, client: this.revisionClient });
  }

  private claim<T extends Pod | ControllerRevision>(
    set: StatefulSet,
    opts: { informerObjects: T[]; client: ResourceClient<T> },
  ): Promise<T[]> {
    return claimObjects<T>({
      client: opts.client,
      namespace: set.metadata?.namespace ?? "",
      owner: {
        uid: set.metadata?.uid ?? "",
        deleting: set.metadata?.deletionTimestamp !== undefined,
      },
      controllerRef: newControllerRef(set, STATEFUL_SET_GVK),
      selector: statefulSetSelector(set),
      objects: opts.informerObjects,
      ownerStillValid: () => this.stillValid(set),
    });
  }

  /** Re-reads the set: adopt only into a live owner with the same UID. */
  private stillValid(cached: StatefulSet): Promise<boolean> {
    return ownerStillValid(this.setClient, cached);
  }

  private writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    return writeStatus(this.setClient, set, status);
  }
}
