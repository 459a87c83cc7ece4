import type { Job } from "kubernetes-types/batch/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import type { Informer } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { ownedInformer } from "../common/informers.js";
import { JOBS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { expiresAt } from "./expiry.js";

/** Slack so that when the timer fires the TTL has surely passed. */
const REQUEUE_SLACK_MS = 50;

/**
 * Deletes finished Jobs whose ttlSecondsAfterFinished has passed
 * (upstream's ttlafterfinished controller), cascading in the background
 * so the garbage collector removes their pods.
 */
export class TtlAfterFinishedController implements RunnableController {
  private readonly controller: Controller;
  private readonly jobs: Informer<Job>;
  private readonly jobClient: ResourceClient<Job>;

  constructor(private readonly ctx: ControllerContext) {
    this.jobs = ownedInformer<Job>(ctx, JOBS);
    this.jobClient = ctx.client(JOBS);
    this.controller = new Controller({
      name: "ttl-after-finished-controller",
      sync: (key) => this.sync(key),
      waitForSync: () => this.jobs.waitForSync(),
      log: ctx.log,
    });
    const consider = (job: Job) => {
      if (expiresAt(job) !== undefined && !job.metadata?.deletionTimestamp)
        this.controller.enqueue(objectKey(job));
    };
    this.jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, job) => consider(job) });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const cached = this.jobs.store.get(key);
    if (!cached || cached.metadata?.deletionTimestamp) return undefined;
    const cachedExpiry = expiresAt(cached);
    if (cachedExpiry === undefined) return undefined;
    const now = this.ctx.clock.now();
    if (cachedExpiry > now) return new RequeueAfter(cachedExpiry - now + REQUEUE_SLACK_MS);

    // The cache may be stale (TTL raised, Job replaced): decide on a fresh read.
    const { namespace, name } = splitKey(key);
    let fresh: Job;
    try {
      fresh = await this.jobClient.get(name, { namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const expiry = expiresAt(fresh);
    if (expiry === undefined || fresh.metadata?.deletionTimestamp) return undefined;
    if (expiry > now) return new RequeueAfter(expiry - now + REQUEUE_SLACK_MS);
    try {
      await this.jobClient.delete(name, {
        namespace,
        propagationPolicy: "Background",
        // Deletes exactly the version checked: a change since then is looked at again.
        preconditions: {
          uid: fresh.metadata?.uid ?? "",
          resourceVersion: fresh.metadata?.resourceVersion ?? "",
        },
      });
    } catch (err) {
      // A conflict means the Job changed since the read: the retry decides afresh.
      if (isNotFound(err)) return undefined;
      throw err;
    }
    return undefined;
  }
}
