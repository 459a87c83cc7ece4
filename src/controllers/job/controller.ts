import type { Job, JobCondition } from "kubernetes-types/batch/v1.js";
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
import { claimObjects } from "../common/claimer.js";
import { controllerOf, newControllerRef } from "../common/controller-ref.js";
import { Expectations } from "../common/expectations.js";
import { BY_CONTROLLER, claimCandidates, ownedInformer, podInformer } from "../common/informers.js";
import { JOBS, PODS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { assessJob, type JobAssessment } from "./assess.js";
import { type BackoffRecord, NO_BACKOFF, remainingBackoff } from "./backoff.js";
import { ensureCondition, isJobFinished, newCondition } from "./conditions.js";
import {
  CONDITION,
  DEFAULT_BACKOFF_MS,
  JOB_API_VERSION,
  JOB_COMPONENT,
  JOB_CONTROLLER_NAME,
  JOB_KIND,
  MAX_BACKOFF_MS,
  MESSAGE,
  REASON,
} from "./constants.js";
import { FinalizerExpectations } from "./finalizer-expectations.js";
import { hasTrackingFinalizer, isSuspended } from "./job-pods.js";
import { planManage } from "./manage.js";
import { OrphanPodFinalizers } from "./orphan-pods.js";
import { JobPodControl } from "./pod-control.js";
import { jobSelector } from "./selector.js";
import { rfc3339 } from "./time.js";
import { countRemovedFinalizers, finishStatus, planTracking } from "./tracking.js";

export interface JobControllerOptions {
  /** Delay before the first replacement of a failed pod (default 10 s); doubles per failure. */
  readonly backoffBaseMs?: number;
  /** Cap of that delay (default 6 min). */
  readonly backoffMaxMs?: number;
}

const JOB_GVK = { apiVersion: JOB_API_VERSION, kind: JOB_KIND };

/** Slack added to timed requeues so the deadline has surely passed when we look. */
const REQUEUE_SLACK_MS = 50;

/**
 * Runs each Job's pods to completion (upstream's job controller). sync
 * reads the Job and its pods from the caches, counts finished pods
 * through the tracking finalizer (see tracking.ts), decides failure
 * (backoff limit, deadline) or success, otherwise creates or deletes pods
 * toward parallelism, and writes status.
 */
export class JobController implements RunnableController {
  private readonly controller: Controller;
  private readonly orphans: OrphanPodFinalizers;
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly podControl: JobPodControl;
  readonly expectations: Expectations;
  private readonly finalizers = new FinalizerExpectations();
  private readonly backoffs = new Map<string, BackoffRecord>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: JobControllerOptions = {},
  ) {
    this.expectations = new Expectations({ clock: ctx.clock });
    this.jobs = ownedInformer<Job>(ctx, JOBS);
    this.pods = podInformer(ctx);
    this.jobClient = ctx.client(JOBS);
    this.podClient = ctx.client(PODS);
    this.recorder = ctx.recorder(JOB_COMPONENT);
    this.podControl = new JobPodControl({
      pods: this.podClient,
      recorder: this.recorder,
      expectations: this.expectations,
      finalizers: this.finalizers,
    });
    this.orphans = new OrphanPodFinalizers({
      jobs: this.jobs,
      pods: this.pods,
      podClient: this.podClient,
      log: ctx.log,
    });
    this.controller = new Controller({
      name: JOB_COMPONENT,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.jobs.waitForSync();
        await this.pods.waitForSync();
      },
      log: ctx.log,
    });
    this.jobs.addEventHandler({
      onAdd: (job) => this.controller.enqueue(objectKey(job)),
      onUpdate: (_old, job) => this.controller.enqueue(objectKey(job)),
      onDelete: (obj) => this.jobDeleted(objectOf(obj)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  async run(workers: number): Promise<void> {
    await Promise.all([this.controller.run(workers), this.orphans.run(1)]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.controller.stop(), this.orphans.stop()]);
  }

  // --- event handlers: only keys go on the queue ---

  /** The key of the Job controlling `pod`, whether or not it is cached. */
  private jobKeyOf(pod: Pod): string | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== JOB_KIND) return undefined;
    return `${pod.metadata?.namespace ?? ""}/${ref.name}`;
  }

  /** The cached Job controlling `pod` (same UID). */
  private jobOf(pod: Pod): Job | undefined {
    const key = this.jobKeyOf(pod);
    const job = key ? this.jobs.store.get(key) : undefined;
    return job && job.metadata?.uid === controllerOf(pod)?.uid ? job : undefined;
  }

  /** Jobs in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
  private matchingJobs(pod: Pod): Job[] {
    const labels = pod.metadata?.labels ?? {};
    return this.jobs.store
      .byIndex("namespace", pod.metadata?.namespace ?? "")
      .filter((j) => jobSelector(j).matches(labels));
  }

  private jobDeleted(job: Job): void {
    const key = objectKey(job);
    this.expectations.delete(key);
    this.finalizers.delete(key);
    this.controller.enqueue(key);
    // Nobody will count these pods now: release their finalizers.
    for (const pod of this.pods.store.byIndex(BY_CONTROLLER, job.metadata?.uid ?? ""))
      this.orphans.consider(pod);
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podGone(pod, { final: false });
      return;
    }
    this.orphans.consider(pod);
    if (controllerOf(pod)) {
      const job = this.jobOf(pod);
      if (!job) return;
      const key = objectKey(job);
      this.expectations.creationObserved(key);
      this.controller.enqueue(key);
      return;
    }
    for (const job of this.matchingJobs(pod)) this.controller.enqueue(objectKey(job));
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) this.podGone(pod, { final: false });
    const key = this.jobKeyOf(pod);
    if (key && hasTrackingFinalizer(old) && !hasTrackingFinalizer(pod))
      this.finalizers.removalObserved(key, pod.metadata?.uid ?? "");
    this.orphans.consider(pod);
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.jobOf(old);
      if (previous) this.controller.enqueue(objectKey(previous));
    }
    const job = this.jobOf(pod);
    if (job) this.controller.enqueue(objectKey(job));
    else if (!ref) for (const j of this.matchingJobs(pod)) this.controller.enqueue(objectKey(j));
  }

  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    this.podGone(objectOf(obj), { final: true });
  }

  /**
   * A pod is being (final: has been) deleted: the deletion is observed,
   * and a pod that is gone no longer holds any finalizer.
   */
  private podGone(pod: Pod, opts: { final: boolean }): void {
    const key = this.jobKeyOf(pod);
    if (!key) return;
    const uid = pod.metadata?.uid ?? "";
    if (opts.final) this.finalizers.removalObserved(key, uid);
    if (!this.jobOf(pod)) return;
    this.expectations.deletionObserved(key, uid);
    this.controller.enqueue(key);
  }

  // --- sync ---

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const cached = this.jobs.store.get(key);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizers.delete(key);
      this.backoffs.delete(key);
      return undefined;
    }
    const managedBy = cached.spec?.managedBy;
    if (managedBy && managedBy !== JOB_CONTROLLER_NAME) return undefined;
    if (isJobFinished(cached)) {
      this.backoffs.delete(key);
      return undefined;
    }
    const mode = cached.spec?.completionMode ?? "NonIndexed";
    if (mode !== "NonIndexed" && mode !== "Indexed") {
      this.event(cached, {
        type: "Warning",
        reason: "UnknownCompletionMode",
        message: "Skipped Job sync because completion mode is unknown",
      });
      return undefined;
    }

    const job = structuredClone(cached);
    // Checked before listing pods: a pod created after this check defers
    // the sync to its own event rather than slipping past the count.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const expectedRemovals = this.finalizers.expected(key);
    const now = this.ctx.clock.now();
    const a = assessJob({
      job,
      pods,
      expectedRemovals,
      backoff: this.backoffs.get(key) ?? NO_BACKOFF,
      now,
    });

    let active = a.activePods.length;
    let ready = a.ready;
    let terminating = a.terminating;
    let finished = a.finished;
    let startTime = a.startTime;
    let conditions = job.status?.conditions ?? [];
    let conditionsChanged = false;
    let waitMs: number | undefined;
    let manageError: unknown;

    if (finished) {
      // Over: stop what still runs. Finalizers stay, so those pods are counted as failed.
      const r = await this.podControl.deleteActive(job, a.activePods);
      if (r.deleted !== active || !satisfied) finished = undefined;
      active -= r.deleted;
      terminating += r.deleted;
      ready -= r.deletedReady;
      manageError = r.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        managed = true;
        const r = await this.manage(job, { key, assessment: a, now });
        active += r.activeDelta;
        ready += r.readyDelta;
        waitMs = r.waitMs;
        manageError = r.error;
      }
      const completions = job.spec?.completions;
      const complete =
        active === 0 &&
        (completions === undefined || completions === null
          ? a.succeeded > 0
          : a.succeeded >= completions);
      if (complete) {
        finished = newCondition(CONDITION.successCriteriaMet, {
          reason: REASON.completionsReached,
          message: MESSAGE.completionsReached,
          now,
        });
      } else if (managed) {
        const suspended = isSuspended(job);
        const r = ensureCondition(
          conditions,
          newCondition(CONDITION.suspended, {
            status: suspended ? "True" : "False",
            reason: suspended ? REASON.suspended : REASON.resumed,
            message: suspended ? MESSAGE.suspended : MESSAGE.resumed,
            now,
          }),
        );
        if (r.changed) {
          conditions = r.conditions;
          conditionsChanged = true;
          this.event(job, {
            type: "Normal",
            reason: suspended ? "Suspended" : "Resumed",
            message: suspended ? "Job suspended" : "Job resumed",
          });
          // activeDeadlineSeconds measures continuous activity: a resumed Job starts its clock anew.
          if (!suspended) startTime = rfc3339(now);
        }
      }
    }

    const prev = job.status ?? {};
    const needsFlush =
      conditionsChanged ||
      active !== (prev.active ?? 0) ||
      ready !== (prev.ready ?? 0) ||
      terminating !== (prev.terminating ?? 0) ||
      startTime !== prev.startTime;
    job.status = {
      ...prev,
      active,
      ready,
      terminating,
      conditions,
      ...(startTime ? { startTime } : {}),
    };
    await this.track(job, {
      key,
      a,
      pods,
      expectedRemovals,
      finished,
      needsFlush,
      terminating,
      now,
    });
    if (manageError !== undefined) throw manageError;

    const next = [a.deadlineInMs, waitMs].filter((t): t is number => t !== undefined);
    return next.length ? new RequeueAfter(Math.min(...next) + REQUEUE_SLACK_MS) : undefined;
  }

  /** Creates or deletes pods toward the wanted number; returns how the counts moved. */
  private async manage(
    job: Job,
    opts: { key: string; assessment: JobAssessment; now: number },
  ): Promise<{ activeDelta: number; readyDelta: number; waitMs?: number; error: unknown }> {
    const { key, assessment: a, now } = opts;
    const plan = planManage({
      job,
      activePods: a.activePods,
      succeeded: a.succeeded,
      succeededIndexes: a.succeededIndexes,
      terminating: a.terminating,
      backoffRemainingMs: remainingBackoff(a.backoff, {
        now,
        baseMs: this.opts.backoffBaseMs ?? DEFAULT_BACKOFF_MS,
        maxMs: this.opts.backoffMaxMs ?? MAX_BACKOFF_MS,
      }),
    });
    switch (plan.kind) {
      case "delete": {
        const r = await this.podControl.deleteUnwanted(job, { key, victims: plan.pods });
        return { activeDelta: -r.deleted, readyDelta: -r.deletedReady, error: r.error };
      }
      case "create": {
        const r = await this.podControl.create(job, { key, ...plan });
        return { activeDelta: r.created, readyDelta: 0, error: r.error };
      }
      case "wait":
        return { activeDelta: 0, readyDelta: 0, waitMs: plan.ms, error: undefined };
      default:
        return { activeDelta: 0, readyDelta: 0, error: undefined };
    }
  }

  /** Counts finished pods, lets their finalizers go, and sets the terminal condition when due. */
  private async track(
    start: Job,
    opts: {
      key: string;
      a: JobAssessment;
      pods: readonly Pod[];
      expectedRemovals: ReadonlySet<string>;
      finished: JobCondition | undefined;
      needsFlush: boolean;
      terminating: number;
      now: number;
    },
  ): Promise<void> {
    const { key } = opts;
    let job = start;
    const plan = planTracking({
      job,
      pods: opts.pods,
      expectedRemovals: opts.expectedRemovals,
      finished: opts.finished,
      prevSucceededIndexes: opts.a.prevSucceededIndexes,
      succeededIndexes: opts.a.succeededIndexes,
      needsFlush: opts.needsFlush,
      now: opts.now,
    });
    job = { ...job, status: plan.status };
    let needsFlush = plan.needsFlush;
    if (needsFlush) {
      job = await this.writeStatus(job);
      // Only now are this sync's failures on record; the backoff may count them.
      this.backoffs.set(key, opts.a.backoff);
      needsFlush = false;
    }
    let removeError: unknown;
    if (plan.podsToRemoveFinalizer.length) {
      const r = await this.podControl.removeFinalizers(key, plan.podsToRemoveFinalizer);
      for (const uid of r.removed) plan.uidsWithFinalizer.delete(uid);
      removeError = r.error;
    }
    const counted = countRemovedFinalizers(job.status ?? {}, plan.uidsWithFinalizer);
    if (counted.changed) {
      job = { ...job, status: counted.status };
      needsFlush = true;
    }
    if (removeError !== undefined) {
      // Record the partial progress, then retry the rest.
      if (needsFlush) await this.writeStatus(job);
      throw removeError;
    }
    const done = plan.reachedMax
      ? undefined
      : finishStatus(job.status ?? {}, { finished: plan.finished, terminating: opts.terminating });
    if (done) {
      job = { ...job, status: done };
      needsFlush = true;
    }
    if (!needsFlush) return;
    job = await this.writeStatus(job);
    if (done && plan.finished) this.recordFinished(job, plan.finished);
  }

  private recordFinished(job: Job, cond: JobCondition): void {
    if (cond.type === CONDITION.complete) {
      const completions = job.spec?.completions;
      if (
        completions !== undefined &&
        completions !== null &&
        (job.status?.succeeded ?? 0) > completions
      )
        this.event(job, {
          type: "Warning",
          reason: "TooManySucceededPods",
          message: "Too many succeeded pods running after completion count reached",
        });
      this.event(job, { type: "Normal", reason: "Completed", message: "Job completed" });
    } else {
      this.event(job, {
        type: "Warning",
        reason: cond.reason ?? "Failed",
        message: cond.message ?? "Job failed",
      });
    }
  }

  /**
   * The Job's pods: those it controls plus matching orphans it adopts
   * (releasing ones that stopped matching). Adopted pods get the tracking
   * finalizer so their outcome is counted like the rest.
   */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const { namespace } = splitKey(objectKey(job));
    const uid = job.metadata?.uid ?? "";
    const candidates = claimCandidates(this.pods, { uid, namespace });
    const orphans = new Set(candidates.filter((p) => !controllerOf(p)).map((p) => p.metadata?.uid));
    const claimed = await claimObjects<Pod>({
      client: this.podClient,
      namespace,
      owner: { uid, deleting: job.metadata?.deletionTimestamp !== undefined },
      controllerRef: newControllerRef(job, JOB_GVK),
      selector: jobSelector(job),
      objects: candidates,
      ownerStillValid: () => this.jobStillValid(job),
    });
    const pods: Pod[] = [];
    for (const pod of claimed) {
      if (orphans.has(pod.metadata?.uid) && !hasTrackingFinalizer(pod)) {
        const patched = await this.podControl.addFinalizer(pod);
        if (patched) pods.push(patched);
      } else {
        pods.push(pod);
      }
    }
    return pods;
  }

  /** Re-reads the Job from the API server: adopt only into a live Job with the same UID. */
  private async jobStillValid(cached: Job): Promise<boolean> {
    try {
      const fresh = await this.jobClient.get(cached.metadata?.name ?? "", {
        namespace: cached.metadata?.namespace ?? "",
      });
      return fresh.metadata?.uid === cached.metadata?.uid && !fresh.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * PUT status without retrying a conflict: the counts were computed from
   * what we read, so a newer Job means the sync must start over.
   */
  private async writeStatus(job: Job): Promise<Job> {
    return this.jobClient.updateStatus(job, { namespace: job.metadata?.namespace ?? "" });
  }

  private event(
    job: Job,
    e: { type: "Normal" | "Warning"; reason: string; message: string },
  ): void {
    this.recorder.event({ ...job, ...JOB_GVK }, e);
  }
}
