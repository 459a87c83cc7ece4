import type { ReplicaSetStatus } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { slowStartBatch } from "../common/batch.js";
import { claimObjects } from "../common/claimer.js";
import { controllerOf, newControllerRef } from "../common/controller-ref.js";
import { Expectations } from "../common/expectations.js";
import { claimCandidates, ownedInformer, podInformer } from "../common/informers.js";
import { ownerStillValid, writeStatus } from "../common/owner-io.js";
import { availableAt, isPodActive, isPodAvailable } from "../common/pod-state.js";
import { podFromTemplate, podPrefix } from "../common/pod-template.js";
import { PODS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { REPLICA_SET_KIND, type ReplicaKind, type ReplicatedObject } from "./kinds.js";
import { decideReplicas } from "./replicas.js";
import { calculateStatus, sameStatus } from "./status.js";

/**
 * Keeps `spec.replicas` pods matching each ReplicaSet's (or
 * ReplicationController's) selector: the notes' control loop. sync(key)
 * reads the owner and its pods from the informer caches, claims pods
 * (adopting orphans, releasing ones that stopped matching), creates or
 * deletes the difference — unless expectations say earlier creates or
 * deletes are still unseen — and writes status.
 */
export class ReplicaSetController implements RunnableController {
  private readonly controller: Controller;
  private readonly owners: Informer<ReplicatedObject>;
  private readonly pods: Informer<Pod>;
  private readonly ownerClient: ResourceClient<ReplicatedObject>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  readonly expectations: Expectations;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: ReplicaKind = REPLICA_SET_KIND,
  ) {
    this.expectations = new Expectations({ clock: ctx.clock });
    this.owners = ownedInformer<ReplicatedObject>(ctx, kind.ref);
    this.pods = podInformer(ctx);
    this.ownerClient = ctx.client(kind.ref);
    this.podClient = ctx.client(PODS);
    this.recorder = ctx.recorder(kind.component);
    this.controller = new Controller({
      name: kind.component,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.owners.waitForSync();
        await this.pods.waitForSync();
      },
      log: ctx.log,
    });
    this.owners.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(objectKey(rs)),
      onUpdate: (_old, rs) => this.controller.enqueue(objectKey(rs)),
      onDelete: (rs) => {
        const key = objectKey(objectOf(rs));
        this.expectations.delete(key);
        this.controller.enqueue(key);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** The owner of this kind that controls `pod`, if it is in the cache with the same UID. */
  private ownerOf(pod: Pod): ReplicatedObject | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.store.get(`${pod.metadata?.namespace ?? ""}/${ref.name}`);
    return owner?.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
  private matchingOwners(pod: Pod): ReplicatedObject[] {
    const labels = pod.metadata?.labels ?? {};
    return this.owners.store
      .byIndex("namespace", pod.metadata?.namespace ?? "")
      .filter((o) => this.kind.selector(o).matches(labels));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    if (controllerOf(pod)) {
      const owner = this.ownerOf(pod);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.controller.enqueue(key);
      return;
    }
    for (const owner of this.matchingOwners(pod)) this.controller.enqueue(objectKey(owner));
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) {
      // Graceful deletion started: count it as observed now, so a replacement is made at once.
      this.podDeleted(pod);
    }
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.ownerOf(old);
      if (previous) this.controller.enqueue(objectKey(previous));
    }
    const owner = this.ownerOf(pod);
    if (owner) this.controller.enqueue(objectKey(owner));
    else if (!ref) for (const o of this.matchingOwners(pod)) this.controller.enqueue(objectKey(o));
  }

  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const owner = this.ownerOf(pod);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, pod.metadata?.uid ?? "");
    this.controller.enqueue(key);
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const cached = this.owners.store.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return undefined;
    }
    const { namespace } = splitKey(key);
    const uid = cached.metadata?.uid ?? "";
    const selector = this.kind.selector(cached);
    const needsSync = this.expectations.satisfied(key) && !cached.metadata?.deletionTimestamp;

    const candidates = claimCandidates(this.pods, { uid, namespace }).filter(isPodActive);
    const pods = await claimObjects<Pod>({
      client: this.podClient,
      namespace,
      owner: { uid, deleting: cached.metadata?.deletionTimestamp !== undefined },
      controllerRef: newControllerRef(cached, this.kind),
      selector,
      objects: candidates,
      ownerStillValid: () => this.ownerStillValid(cached),
    });

    let manageError: unknown;
    if (needsSync) manageError = await this.manage(key, cached, pods).catch((err: unknown) => err);

    const now = this.ctx.clock.now();
    const minReady = cached.spec?.minReadySeconds ?? 0;
    const status = calculateStatus({
      current: cached.status,
      generation: cached.metadata?.generation,
      templateLabels: cached.spec?.template?.metadata?.labels ?? {},
      minReadySeconds: minReady,
      pods,
      manageError,
      now,
    });
    if (!sameStatus(cached.status, status)) await this.writeStatus(cached, status);
    if (manageError !== undefined) throw manageError;

    // A pod that is ready but not yet available becomes available later: look again then.
    const next = pods
      .filter((p) => !isPodAvailable(p, minReady, now))
      .map((p) => availableAt(p, minReady))
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b)[0];
    return next !== undefined ? new RequeueAfter(Math.max(next - now, 0) + 50) : undefined;
  }

  private async manage(key: string, owner: ReplicatedObject, pods: Pod[]): Promise<unknown> {
    const decision = decideReplicas(owner.spec?.replicas ?? 1, pods);
    const namespace = owner.metadata?.namespace ?? "";
    if (decision.kind === "create") {
      const template = owner.spec?.template;
      if (!template) return new Error(`${this.kind.kind} ${key} has no pod template`);
      this.expectations.expect(key, { adds: decision.count });
      const controllerRef = newControllerRef(owner, this.kind);
      const result = await slowStartBatch(decision.count, async () => {
        const pod = podFromTemplate(template, {
          namespace,
          controllerRef,
          generateName: podPrefix(owner.metadata?.name ?? ""),
        });
        try {
          const created = await this.podClient.create(pod, { namespace });
          this.recorder.event(this.ref(owner), {
            type: "Normal",
            reason: "SuccessfulCreate",
            message: `Created pod: ${created.metadata?.name ?? ""}`,
          });
        } catch (err) {
          this.expectations.creationObserved(key);
          this.recorder.event(this.ref(owner), {
            type: "Warning",
            reason: "FailedCreate",
            message: `Error creating: ${err instanceof Error ? err.message : String(err)}`,
          });
          throw err;
        }
      });
      // Creations never attempted will never be observed.
      for (let i = result.attempted; i < decision.count; i++)
        this.expectations.creationObserved(key);
      return result.error;
    }
    if (decision.kind === "delete") {
      this.expectations.expect(key, {
        deleteUids: decision.pods.map((p) => p.metadata?.uid ?? ""),
      });
      const results = await Promise.allSettled(
        decision.pods.map(async (pod) => {
          try {
            await this.podClient.delete(pod.metadata?.name ?? "", {
              namespace,
              preconditions: { uid: pod.metadata?.uid ?? "" },
            });
            this.recorder.event(this.ref(owner), {
              type: "Normal",
              reason: "SuccessfulDelete",
              message: `Deleted pod: ${pod.metadata?.name ?? ""}`,
            });
          } catch (err) {
            this.expectations.deletionObserved(key, pod.metadata?.uid ?? "");
            if (isNotFound(err)) return;
            this.recorder.event(this.ref(owner), {
              type: "Warning",
              reason: "FailedDelete",
              message: `Error deleting: ${err instanceof Error ? err.message : String(err)}`,
            });
            throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      return failed?.reason;
    }
    return undefined;
  }

  /** The owner as events see it (informer objects carry no kind). */
  private ref(owner: ReplicatedObject): ReplicatedObject {
    return { ...owner, apiVersion: this.kind.apiVersion, kind: this.kind.kind };
  }

  /** Re-reads the owner from the API server: adopt only into a live owner with the same UID. */
  private ownerStillValid(cached: ReplicatedObject): Promise<boolean> {
    return ownerStillValid(this.ownerClient, cached);
  }

  private writeStatus(owner: ReplicatedObject, status: ReplicaSetStatus): Promise<void> {
    return writeStatus(this.ownerClient, owner, status);
  }
}
