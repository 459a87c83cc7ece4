import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import type { ObjectReference } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isAlreadyExists, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import type { Clock } from "../../client/util/clock.js";
import { controllerOf, isControlledBy } from "../common/controller-ref.js";
import { BY_CONTROLLER, ownedInformer } from "../common/informers.js";
import { CRON_JOBS, JOBS } from "../common/resources.js";
import { rfc3339 } from "../job/time.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { jobReference, reviewJobs } from "./active.js";
import { CRON_JOB_API_VERSION, CRON_JOB_COMPONENT, CRON_JOB_KIND } from "./constants.js";
import { jobsBeyondHistory } from "./history.js";
import { jobFromTemplate } from "./job-template.js";
import { nextScheduleDelay } from "./schedule-times.js";
import { type CronEvent, decideStart } from "./start.js";

export interface CronJobControllerOptions {
  /** Time as the schedule sees it (default: the context's clock). */
  readonly clock?: Clock;
}

const CRON_GVK = { apiVersion: CRON_JOB_API_VERSION, kind: CRON_JOB_KIND };

/**
 * Starts a Job from each CronJob's template at its scheduled times
 * (upstream's cronjob controller v2). sync keeps status.active in step
 * with the Jobs, deletes finished Jobs beyond the history limits, starts
 * the Job for the latest due start time (at most one catch-up) under the
 * concurrency policy, and asks to be woken for the next start.
 */
export class CronJobController implements RunnableController {
  private readonly controller: Controller;
  private readonly cronJobs: Informer<CronJob>;
  private readonly jobs: Informer<Job>;
  private readonly cronJobClient: ResourceClient<CronJob>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;

  constructor(ctx: ControllerContext, opts: CronJobControllerOptions = {}) {
    this.clock = opts.clock ?? ctx.clock;
    this.cronJobs = ctx.informers.informerFor<CronJob>(CRON_JOBS);
    this.jobs = ownedInformer<Job>(ctx, JOBS);
    this.cronJobClient = ctx.client(CRON_JOBS);
    this.jobClient = ctx.client(JOBS);
    this.recorder = ctx.recorder(CRON_JOB_COMPONENT);
    this.controller = new Controller({
      name: CRON_JOB_COMPONENT,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.cronJobs.waitForSync();
        await this.jobs.waitForSync();
      },
      log: ctx.log,
    });
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.controller.enqueue(objectKey(cj)),
      onUpdate: (_old, cj) => this.controller.enqueue(objectKey(cj)),
    });
    const jobChanged = (job: Job) => {
      const key = this.cronJobKeyOf(job);
      if (key) this.controller.enqueue(key);
    };
    this.jobs.addEventHandler({
      onAdd: jobChanged,
      onUpdate: (old, job) => {
        if (controllerOf(old)?.uid !== controllerOf(job)?.uid) jobChanged(old);
        jobChanged(job);
      },
      onDelete: (obj) => jobChanged(objectOf(obj)),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** The key of the cached CronJob controlling `job`, if any. */
  private cronJobKeyOf(job: Job): string | undefined {
    const ref = controllerOf(job);
    if (!ref || ref.kind !== CRON_JOB_KIND) return undefined;
    const key = `${job.metadata?.namespace ?? ""}/${ref.name}`;
    return this.cronJobs.store.get(key)?.metadata?.uid === ref.uid ? key : undefined;
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const cached = this.cronJobs.store.get(key);
    if (!cached) return undefined;
    let cronJob = structuredClone(cached);
    const jobs = this.jobs.store
      .byIndex(BY_CONTROLLER, cronJob.metadata?.uid ?? "")
      .filter((j) => controllerOf(j)?.kind === CRON_JOB_KIND);

    let changed = await this.cleanUpHistory(cronJob, jobs);
    const r = await this.reconcileActive(cronJob, jobs);
    cronJob = r.cronJob;
    changed ||= r.changed;

    let requeueMs: number | undefined;
    let syncError: unknown;
    if (!cronJob.metadata?.deletionTimestamp) {
      try {
        const s = await this.startDue(cronJob);
        cronJob = s.cronJob;
        changed ||= s.changed;
        requeueMs = s.requeueMs;
      } catch (err) {
        syncError = err;
      }
    }
    if (changed)
      await this.cronJobClient.updateStatus(cronJob, { namespace: splitKey(key).namespace });
    if (requeueMs !== undefined) return new RequeueAfter(Math.max(requeueMs, 0));
    if (syncError !== undefined) throw syncError;
    return undefined;
  }

  /** Deletes finished Jobs beyond the history limits. */
  private async cleanUpHistory(cronJob: CronJob, jobs: readonly Job[]): Promise<boolean> {
    let changed = false;
    for (const job of jobsBeyondHistory(cronJob, jobs)) {
      if (await this.deleteJob(cronJob, job)) changed = true;
    }
    return changed;
  }

  /**
   * Brings status.active in line with the Jobs: finished ones leave,
   * vanished ones leave once the API server confirms they are gone.
   */
  private async reconcileActive(
    start: CronJob,
    jobs: readonly Job[],
  ): Promise<{ cronJob: CronJob; changed: boolean }> {
    let cronJob = start;
    let review = reviewJobs(cronJob, jobs);
    if (review.unlisted.length) {
      // Our own status write may not have reached the cache yet: ask the API server.
      const fresh = await this.cronJobClient.get(cronJob.metadata?.name ?? "", {
        namespace: cronJob.metadata?.namespace ?? "",
      });
      const listed = new Set((fresh.status?.active ?? []).map((r) => r.uid));
      if (
        fresh.metadata?.uid === cronJob.metadata?.uid &&
        review.unlisted.some((j) => listed.has(j.metadata?.uid))
      ) {
        cronJob = fresh;
        review = reviewJobs(cronJob, jobs);
      }
      for (const job of review.unlisted)
        this.event(cronJob, {
          type: "Warning",
          reason: "UnexpectedJob",
          message: `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ""}`,
        });
    }
    for (const { job, condition } of review.completed)
      this.event(cronJob, {
        type: "Normal",
        reason: "SawCompletedJob",
        message: `Saw completed job: ${job.metadata?.name ?? ""}, condition: ${condition}`,
      });
    let active = review.active;
    let changed = review.changed;
    for (const ref of review.missing) {
      try {
        await this.jobClient.get(ref.name ?? "", { namespace: ref.namespace ?? "" });
        // Only the cache lags: it is still there.
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.event(cronJob, {
          type: "Normal",
          reason: "MissingJob",
          message: `Active job went missing: ${ref.name ?? ""}`,
        });
        active = active.filter((r) => r.uid !== ref.uid);
        changed = true;
      }
    }
    cronJob = withActive(cronJob, active);
    if (review.lastSuccessfulTime)
      cronJob = {
        ...cronJob,
        status: { ...cronJob.status, lastSuccessfulTime: review.lastSuccessfulTime },
      };
    return { cronJob, changed };
  }

  /** Starts the Job for the due start time, if any; returns when to look again. */
  private async startDue(
    start: CronJob,
  ): Promise<{ cronJob: CronJob; changed: boolean; requeueMs: number | undefined }> {
    let cronJob = start;
    const now = this.clock.now();
    const events: CronEvent[] = [];
    const decision = decideStart(cronJob, { now, events });
    for (const e of events) this.event(cronJob, e);
    if (decision.kind === "none") return { cronJob, changed: false, requeueMs: decision.requeueMs };

    const later = (cj: CronJob) =>
      nextScheduleDelay(
        {
          creationTimestamp: cj.metadata?.creationTimestamp,
          lastScheduleTime: cj.status?.lastScheduleTime,
          startingDeadlineSeconds: cj.spec?.startingDeadlineSeconds,
        },
        { schedule: decision.schedule, now },
      );
    let changed = false;
    if (decision.replace) {
      for (const ref of cronJob.status?.active ?? []) {
        let job: Job;
        try {
          job = await this.jobClient.get(ref.name ?? "", { namespace: ref.namespace ?? "" });
        } catch (err) {
          this.event(cronJob, {
            type: "Warning",
            reason: "FailedGet",
            message: `Get job: ${String(err)}`,
          });
          throw err;
        }
        if (!(await this.deleteJob(cronJob, job)))
          throw new Error(`could not replace job ${ref.namespace ?? ""}/${ref.name ?? ""}`);
        changed = true;
      }
      cronJob = this.withoutActive(
        cronJob,
        new Set((cronJob.status?.active ?? []).map((r) => r.uid)),
      );
    }

    const request = jobFromTemplate(cronJob, decision.scheduled);
    const namespace = cronJob.metadata?.namespace ?? "";
    let created: Job;
    try {
      created = await this.jobClient.create(request, { namespace });
      this.event(cronJob, {
        type: "Normal",
        reason: "SuccessfulCreate",
        message: `Created job ${created.metadata?.name ?? ""}`,
      });
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.event(cronJob, {
          type: "Warning",
          reason: "FailedCreate",
          message: `Error creating job: ${String(err)}`,
        });
        throw err;
      }
      // Made by an earlier attempt (ours or someone's): adopt it into status only if it is ours.
      created = await this.jobClient.get(request.metadata?.name ?? "", { namespace });
      // Not ours (someone else's Job holds the name), or already listed: nothing to record.
      if (
        !isControlledBy(created, cronJob.metadata?.uid) ||
        (cronJob.status?.active ?? []).some((r) => r.uid === created.metadata?.uid)
      )
        return { cronJob, changed, requeueMs: later(cronJob) };
    }
    cronJob = {
      ...cronJob,
      status: {
        ...(cronJob.status ?? {}),
        active: [...(cronJob.status?.active ?? []), jobReference(created)],
        lastScheduleTime: rfc3339(decision.scheduled),
      },
    };
    return {
      cronJob,
      changed: true,
      requeueMs: later(cronJob),
    };
  }

  /** Deletes a Job in the background (the garbage collector removes its pods). */
  private async deleteJob(cronJob: CronJob, job: Job): Promise<boolean> {
    try {
      await this.jobClient.delete(job.metadata?.name ?? "", {
        namespace: job.metadata?.namespace ?? "",
        propagationPolicy: "Background",
      });
    } catch (err) {
      if (!isNotFound(err)) {
        this.event(cronJob, {
          type: "Warning",
          reason: "FailedDelete",
          message: `Deleted job: ${String(err)}`,
        });
        return false;
      }
    }
    this.event(cronJob, {
      type: "Normal",
      reason: "SuccessfulDelete",
      message: `Deleted job ${job.metadata?.name ?? ""}`,
    });
    return true;
  }

  private withoutActive(cronJob: CronJob, uids: ReadonlySet<string | undefined>): CronJob {
    return withActive(
      cronJob,
      (cronJob.status?.active ?? []).filter((r) => !uids.has(r.uid)),
    );
  }

  private event(cronJob: CronJob, e: CronEvent): void {
    this.recorder.event({ ...cronJob, ...CRON_GVK }, e);
  }
}

/** The CronJob with this active list (omitted when empty, as the API serializes it). */
function withActive(cronJob: CronJob, active: ObjectReference[]): CronJob {
  const { active: _old, ...rest } = cronJob.status ?? {};
  return { ...cronJob, status: active.length ? { ...rest, active } : rest };
}
