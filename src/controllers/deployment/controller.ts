import type { Deployment, DeploymentStatus, ReplicaSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isAlreadyExists, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { labelSelectorAsSelector, type Selector } from "../../machinery/labels/index.js";
import { claimObjects } from "../common/claimer.js";
import { controllerOf, newControllerRef } from "../common/controller-ref.js";
import { computeHash } from "../common/hash.js";
import { BY_CONTROLLER, claimCandidates, ownedInformer, podInformer } from "../common/informers.js";
import { ownerStillValid } from "../common/owner-io.js";
import { DEPLOYMENTS, REPLICA_SETS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import {
  maxRevision,
  POD_TEMPLATE_HASH,
  REVISION,
  replicaSetAnnotations,
  revisionOf,
} from "./annotations.js";
import { replicaSetsToCleanUp } from "./cleanup.js";
import { pausedCondition, updateProgress } from "./progress.js";
import {
  active,
  fenceposts,
  sameTemplate,
  specReplicas,
  splitReplicaSets,
} from "./replica-sets.js";
import { newReplicaSetReplicas, planOldScaleDown } from "./rolling.js";
import { isScalingEvent, planScale } from "./scaling.js";
import { calculateStatus, isComplete, sameStatus, setCondition } from "./status.js";

const GVK = { apiVersion: "apps/v1", kind: "Deployment" } as const;

/**
 * The Deployment controller: "one object managing another". Each
 * template gets a ReplicaSet named `<deployment>-<pod-template-hash>`;
 * a rollout grows the new one and shrinks the old ones within maxSurge
 * and maxUnavailable (RollingUpdate) or replaces them all (Recreate);
 * scaling mid-rollout is proportional; rollback (kubectl rollout undo)
 * is just a template that matches an old ReplicaSet again, which then
 * gets the next revision.
 */
export class DeploymentController implements RunnableController {
  private readonly controller: Controller;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly dClient: ResourceClient<Deployment>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.deployments = ctx.informers.informerFor<Deployment>(DEPLOYMENTS);
    this.replicaSets = ownedInformer<ReplicaSet>(ctx, REPLICA_SETS);
    this.pods = podInformer(ctx);
    this.dClient = ctx.client(DEPLOYMENTS);
    this.rsClient = ctx.client(REPLICA_SETS);
    this.recorder = ctx.recorder("deployment-controller");
    this.controller = new Controller({
      name: "deployment-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.deployments.waitForSync();
        await this.replicaSets.waitForSync();
        await this.pods.waitForSync();
      },
      log: ctx.log,
    });
    const enqueue = (d: Deployment) => this.controller.enqueue(objectKey(d));
    this.deployments.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_o, d) => enqueue(d),
      onDelete: (d) => enqueue(objectOf(d)),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (controllerOf(old)?.uid !== controllerOf(rs)?.uid) this.replicaSetChanged(old);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => this.replicaSetChanged(objectOf(rs)),
    });
    // Recreate waits for old pods to be gone: their deletion is news.
    this.pods.addEventHandler({
      onDelete: (obj) => {
        const pod = objectOf(obj);
        const ref = controllerOf(pod);
        if (ref?.kind !== "ReplicaSet") return;
        const rs = this.replicaSets.store.get(`${pod.metadata?.namespace ?? ""}/${ref.name}`);
        const d = rs && this.ownerOf(rs);
        if (d?.spec?.strategy?.type === "Recreate") enqueue(d);
      },
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerOf(rs);
    if (ref?.kind !== "Deployment") return undefined;
    const d = this.deployments.store.get(`${rs.metadata?.namespace ?? ""}/${ref.name}`);
    return d?.metadata?.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const owner = this.ownerOf(rs);
    if (owner) {
      this.controller.enqueue(objectKey(owner));
      return;
    }
    if (controllerOf(rs)) return;
    // An orphan: every deployment whose selector matches may adopt it.
    const labels = rs.metadata?.labels ?? {};
    for (const d of this.deployments.store.byIndex("namespace", rs.metadata?.namespace ?? "")) {
      if (selectorOf(d)?.matches(labels)) this.controller.enqueue(objectKey(d));
    }
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const cached = this.deployments.store.get(key);
    if (!cached) return undefined;
    const d = structuredClone(cached);
    const namespace = d.metadata?.namespace ?? "";
    const selector = selectorOf(d);
    if (!selector || selector.empty()) {
      this.recorder.event(this.ref(d), {
        type: "Warning",
        reason: "SelectingAll",
        message: "This deployment is selecting all pods. A non-empty selector is required.",
      });
      return undefined;
    }
    const uid = d.metadata?.uid ?? "";
    const sets = await claimObjects<ReplicaSet>({
      client: this.rsClient,
      namespace,
      owner: { uid, deleting: d.metadata?.deletionTimestamp !== undefined },
      controllerRef: newControllerRef(d, GVK),
      selector,
      objects: claimCandidates(this.replicaSets, { uid, namespace }),
      ownerStillValid: () => ownerStillValid(this.dClient, d),
    });

    if (d.metadata?.deletionTimestamp) {
      await this.syncStatusOnly(d, sets);
      return undefined;
    }
    const now = this.ctx.clock.now();
    const status = structuredClone(d.status ?? {});
    if (pausedCondition(d, status, now)) {
      d.status = status;
      await this.writeStatus(d, status);
    }
    if (d.spec?.paused) {
      await this.scaleAndCleanUp(d, sets);
      return undefined;
    }
    const { newRS, oldRSs } = splitReplicaSets(d, sets);
    if (isScalingEvent(d, [newRS, ...oldRSs])) {
      await this.scaleAndCleanUp(d, sets);
      return undefined;
    }
    return d.spec?.strategy?.type === "Recreate"
      ? this.rolloutRecreate(d, sets)
      : this.rolloutRolling(d, sets);
  }

  // --- rollouts -----------------------------------------------------------

  private async rolloutRolling(
    d: Deployment,
    sets: ReplicaSet[],
  ): Promise<RequeueAfter | undefined> {
    const { newRS, oldRSs } = await this.revisionedSets(d, sets, true);
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    const newSize = newRS ? this.newSize(d, all, newRS) : undefined;
    if (newRS && newSize !== undefined) {
      await this.scale(d, newRS, newSize);
      return this.syncRolloutStatus(d, all, newRS);
    }
    const downs = planOldScaleDown(d, { oldRSs, newRS });
    if (downs.length) {
      for (const s of downs) await this.scale(d, s.rs, s.replicas);
      return this.syncRolloutStatus(d, all, newRS);
    }
    if (isComplete(d, calculateStatus(d, { all, newRS, now: this.ctx.clock.now() }))) {
      await this.cleanUp(d, oldRSs);
    }
    return this.syncRolloutStatus(d, all, newRS);
  }

  /** The new ReplicaSet's next size, or undefined when it is right. */
  private newSize(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number | undefined {
    const replicas = d.spec?.replicas ?? 1;
    const current = specReplicas(newRS);
    if (current === replicas) return undefined;
    if (current > replicas) return replicas;
    const next = newReplicaSetReplicas(d, { all, newRS });
    return next === current ? undefined : next;
  }

  private async rolloutRecreate(
    d: Deployment,
    sets: ReplicaSet[],
  ): Promise<RequeueAfter | undefined> {
    let { newRS, oldRSs } = await this.revisionedSets(d, sets, false);
    const activeOld = active(oldRSs);
    if (activeOld.length) {
      for (const rs of activeOld) await this.scale(d, rs, 0);
      return this.syncRolloutStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    }
    // Recreate means no old pod runs beside a new one: wait until they are all gone.
    if (this.oldPodsRunning(oldRSs)) {
      return this.syncRolloutStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    }
    if (!newRS) ({ newRS, oldRSs } = await this.revisionedSets(d, sets, true));
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    if (newRS && specReplicas(newRS) !== (d.spec?.replicas ?? 1)) {
      await this.scale(d, newRS, d.spec?.replicas ?? 1);
      return this.syncRolloutStatus(d, all, newRS);
    }
    if (isComplete(d, calculateStatus(d, { all, newRS, now: this.ctx.clock.now() }))) {
      await this.cleanUp(d, oldRSs);
    }
    return this.syncRolloutStatus(d, all, newRS);
  }

  private oldPodsRunning(oldRSs: ReplicaSet[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    for (const rs of oldRSs) {
      for (const pod of this.pods.store.byIndex(BY_CONTROLLER, rs.metadata?.uid ?? "")) {
        const phase = pod.status?.phase;
        if (phase !== "Succeeded" && phase !== "Failed" && phase !== "Unknown") return true;
      }
    }
    return false;
  }

  /** Scaling events and paused deployments: resize proportionally, no rollout. */
  private async scaleAndCleanUp(d: Deployment, sets: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.revisionedSets(d, sets, false);
    for (const s of planScale(d, { newRS, oldRSs })) await this.scale(d, s.rs, s.replicas);
    if (d.spec?.paused) await this.cleanUp(d, oldRSs);
    await this.syncStatusOnly(d, [...oldRSs, ...(newRS ? [newRS] : [])]);
  }

  // --- ReplicaSets --------------------------------------------------------

  /**
   * Splits into the new and old ReplicaSets, giving the new one the next
   * revision (creating it when asked and missing) and bringing the
   * deployment's revision annotation along (upstream's
   * getAllReplicaSetsAndSyncRevision).
   */
  private async revisionedSets(
    d: Deployment,
    sets: ReplicaSet[],
    create: boolean,
  ): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const split = splitReplicaSets(d, sets);
    const oldRSs = split.oldRSs;
    const revision = maxRevision(oldRSs) + 1;
    let newRS = split.newRS;
    if (newRS) {
      const annotations = replicaSetAnnotations(d, newRS, {
        revision: Math.max(revision, revisionOf(newRS)),
        maxSurge: fenceposts(d).maxSurge,
      });
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotations || (newRS.spec?.minReadySeconds ?? 0) !== minReady) {
        const copy = structuredClone(newRS);
        copy.metadata = {
          ...copy.metadata,
          annotations: annotations ?? copy.metadata?.annotations ?? {},
        };
        copy.spec = {
          ...(copy.spec as NonNullable<ReplicaSet["spec"]>),
          minReadySeconds: minReady,
        };
        newRS = await this.rsClient.update(copy, { namespace: d.metadata?.namespace ?? "" });
      }
    } else if (create) {
      newRS = await this.createNewReplicaSet(d, { oldRSs, revision });
    }
    if (newRS) {
      await this.syncDeploymentRevision(d, newRS);
    }
    return { newRS, oldRSs };
  }

  private async createNewReplicaSet(
    d: Deployment,
    o: { oldRSs: ReplicaSet[]; revision: number },
  ): Promise<ReplicaSet | undefined> {
    const namespace = d.metadata?.namespace ?? "";
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = {
      ...template.metadata,
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
    };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const name = `${d.metadata?.name ?? ""}-${hash}`;
    const draft: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name,
        namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        ownerReferences: [newControllerRef(d, GVK)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const annotations = replicaSetAnnotations(d, draft, {
      revision: o.revision,
      maxSurge: fenceposts(d).maxSurge,
    });
    if (draft.metadata && annotations) draft.metadata.annotations = annotations;
    if (draft.spec)
      draft.spec.replicas = newReplicaSetReplicas(d, { all: o.oldRSs, newRS: undefined });
    try {
      const created = await this.rsClient.create(draft, { namespace });
      this.recorder.event(this.ref(d), {
        type: "Normal",
        reason: "ScalingReplicaSet",
        message: `Scaled up replica set ${name} to ${draft.spec?.replicas ?? 0}`,
      });
      const status = structuredClone(d.status ?? {});
      setCondition(status, {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetCreated",
        message: `Created new replica set "${name}"`,
        now: this.ctx.clock.now(),
      });
      await this.writeStatus(d, status);
      return created;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // A namesake exists: ours if it has our template and owner; otherwise a hash collision.
      const existing = await this.rsClient.get(name, { namespace });
      if (
        controllerOf(existing)?.uid === d.metadata?.uid &&
        sameTemplate(existing.spec?.template, d.spec?.template)
      ) {
        return existing;
      }
      const status = structuredClone(d.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      await this.writeStatus(d, status);
      throw new Error(
        `hash collision for ReplicaSet ${name}; retrying with collisionCount ${status.collisionCount}`,
      );
    }
  }

  /** The deployment's revision annotation follows its new ReplicaSet's. */
  private async syncDeploymentRevision(d: Deployment, newRS: ReplicaSet): Promise<void> {
    const wanted = newRS.metadata?.annotations?.[REVISION];
    if (!wanted || d.metadata?.annotations?.[REVISION] === wanted) return;
    const updated = await this.dClient.patch(
      d.metadata?.name ?? "",
      { metadata: { annotations: { [REVISION]: wanted } } },
      { namespace: d.metadata?.namespace ?? "", type: "merge" },
    );
    d.metadata = { ...d.metadata, annotations: updated.metadata?.annotations ?? {} };
    if (updated.metadata?.resourceVersion)
      d.metadata = { ...d.metadata, resourceVersion: updated.metadata.resourceVersion };
  }

  /** Sets a ReplicaSet's size and its desired/max-replicas annotations. */
  private async scale(d: Deployment, rs: ReplicaSet, replicas: number): Promise<void> {
    const annotations = {
      ...(rs.metadata?.annotations ?? {}),
      "deployment.kubernetes.io/desired-replicas": String(d.spec?.replicas ?? 1),
      "deployment.kubernetes.io/max-replicas": String(
        (d.spec?.replicas ?? 1) + fenceposts(d).maxSurge,
      ),
    };
    const before = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.metadata = { ...copy.metadata, annotations };
    copy.spec = { ...(copy.spec as NonNullable<ReplicaSet["spec"]>), replicas };
    const updated = await this.rsClient.update(copy, { namespace: rs.metadata?.namespace ?? "" });
    Object.assign(rs, updated);
    if (before !== replicas) {
      this.recorder.event(this.ref(d), {
        type: "Normal",
        reason: "ScalingReplicaSet",
        message: `Scaled ${replicas > before ? "up" : "down"} replica set ${rs.metadata?.name ?? ""} from ${before} to ${replicas}`,
      });
    }
  }

  private async cleanUp(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(d, oldRSs)) {
      try {
        await this.rsClient.delete(rs.metadata?.name ?? "", {
          namespace: rs.metadata?.namespace ?? "",
          preconditions: { uid: rs.metadata?.uid ?? "" },
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // --- status -------------------------------------------------------------

  private async syncRolloutStatus(
    d: Deployment,
    all: ReplicaSet[],
    newRS: ReplicaSet | undefined,
  ): Promise<RequeueAfter | undefined> {
    const now = this.ctx.clock.now();
    const status = calculateStatus(d, { all, newRS, now });
    const wait = updateProgress(d, { status, newRS, all, now });
    if (!sameStatus(d.status, status)) await this.writeStatus(d, status);
    return wait !== undefined ? new RequeueAfter(wait) : undefined;
  }

  private async syncStatusOnly(d: Deployment, sets: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = splitReplicaSets(d, sets);
    const status = calculateStatus(d, {
      all: [...oldRSs, ...(newRS ? [newRS] : [])],
      newRS,
      now: this.ctx.clock.now(),
    });
    if (!sameStatus(d.status, status)) await this.writeStatus(d, status);
  }

  private async writeStatus(d: Deployment, status: DeploymentStatus): Promise<void> {
    try {
      const updated = await this.dClient.updateStatus(
        { ...d, status },
        { namespace: d.metadata?.namespace ?? "" },
      );
      d.status = updated.status ?? status;
      if (updated.metadata?.resourceVersion)
        d.metadata = { ...d.metadata, resourceVersion: updated.metadata.resourceVersion };
    } catch (err) {
      if (isNotFound(err)) return;
      // A Conflict means a newer deployment exists: the runner requeues quietly and the
      // informer brings the new version.
      throw err;
    }
  }

  private ref(d: Deployment): Deployment {
    return { ...d, ...GVK };
  }
}

function selectorOf(d: Deployment): Selector | undefined {
  try {
    return labelSelectorAsSelector(d.spec?.selector);
  } catch {
    return undefined;
  }
}
