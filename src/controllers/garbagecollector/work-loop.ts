/**
 * A rate-limited work queue and its workers, where each item's handler
 * says whether to forget it or look again later with backoff (upstream's
 * forgetItem/requeueItem). A handler that throws is logged and requeued.
 */
import type { Clock } from "../../client/util/clock.js";
import { RateLimitingQueue } from "../../client/workqueue/rate-limiting.js";
import type { Logger } from "../../util/log.js";

export type WorkOutcome = "forget" | "requeue";

export class WorkLoop {
  readonly queue: RateLimitingQueue;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly opts: {
      readonly name: string;
      readonly process: (key: string) => Promise<WorkOutcome>;
      readonly log: Logger;
      readonly clock: Clock;
    },
  ) {
    this.queue = new RateLimitingQueue({ clock: opts.clock });
  }

  start(workers: number): void {
    for (let i = 0; i < workers; i++) this.workers.push(this.worker());
  }

  /** Stops taking items and waits for the ones in flight. */
  async stop(): Promise<void> {
    if (this.workers.length === 0) {
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
      let outcome: WorkOutcome;
      try {
        outcome = await this.opts.process(item.key);
      } catch (err) {
        this.opts.log.warn("garbage collector item failed, requeueing", {
          queue: this.opts.name,
          item: item.key,
          err: String(err),
        });
        outcome = "requeue";
      }
      if (outcome === "forget") this.queue.forget(item.key);
      else this.queue.addRateLimited(item.key);
      this.queue.done(item.key);
    }
  }
}
