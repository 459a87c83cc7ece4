import type { Logger } from "../../util/log.js";
import { isConflict } from "../rest/errors.js";
import { RateLimitingQueue } from "../workqueue/rate-limiting.js";

/** A sync that wants its key looked at again after a while (not an error). */
export class RequeueAfter {
  constructor(readonly ms: number) {}
}

export interface ControllerOptions {
  readonly name: string;
  /** Reconciles one key; throwing requeues it with backoff. May return RequeueAfter. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most syncs return nothing; some return RequeueAfter
  readonly sync: (key: string) => Promise<RequeueAfter | undefined | void>;
  /** Resolves once the informers this controller reads are synced. */
  readonly waitForSync: () => Promise<void>;
  readonly queue?: RateLimitingQueue;
  /** Give up on a key after this many consecutive failures (default: never). */
  readonly maxRetries?: number;
  readonly log?: Logger;
}

/**
 * The reconcile loop the notes describe: informer events put keys on a
 * rate-limited work queue; `run(workers)` waits for the caches, then each
 * worker takes a key, calls sync(key), and forgets it on success or
 * requeues it with backoff on failure. A failing sync is logged and
 * retried; it never takes the process down.
 */
export class Controller {
  readonly queue: RateLimitingQueue;
  private workers: Promise<void>[] = [];

  constructor(private readonly opts: ControllerOptions) {
    this.queue = opts.queue ?? new RateLimitingQueue();
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  async run(workers: number): Promise<void> {
    await this.opts.waitForSync();
    for (let i = 0; i < workers; i++) this.workers.push(this.worker());
  }

  /** Stops taking keys and waits for the ones in flight. */
  async stop(): Promise<void> {
    if (this.workers.length === 0) {
      // No worker ever started (caches never synced): nothing is in flight to drain.
      this.queue.shutDown();
      return;
    }
    await this.queue.shutDownWithDrain();
    await Promise.all(this.workers);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (item.shutdown) return;
      const key = item.key;
      try {
        const result = await this.opts.sync(key);
        this.queue.forget(key);
        if (result instanceof RequeueAfter) this.queue.addAfter(key, result.ms);
      } catch (err) {
        if (isConflict(err)) {
          // Someone (often this controller's own last write) changed the object: the
          // informer brings the new version; retry quietly, as upstream does.
          this.queue.addRateLimited(key);
          continue;
        }
        const retries = this.queue.numRequeues(key);
        if (this.opts.maxRetries !== undefined && retries >= this.opts.maxRetries) {
          this.opts.log?.error("dropping key after repeated failures", {
            controller: this.opts.name,
            key,
            retries,
            err: String(err),
          });
          this.queue.forget(key);
        } else {
          this.opts.log?.warn("sync failed, requeueing", {
            controller: this.opts.name,
            key,
            err: String(err),
          });
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }
}
