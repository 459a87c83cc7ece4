import { type Clock, realClock } from "../util/clock.js";
import { DelayingQueue } from "./delaying.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiters.js";

export interface RateLimitingQueueOptions {
  /** Source of time and timers. Default: realClock. */
  readonly clock?: Clock;
  /** Decides retry delays. Default: defaultControllerRateLimiter(clock). */
  readonly rateLimiter?: RateLimiter;
}

/**
 * The queue controllers use: a DelayingQueue whose retries wait as long as the
 * rate limiter says. A worker that fails calls addRateLimited(key); one that
 * succeeds calls forget(key) so the next failure starts from the base delay.
 */
export class RateLimitingQueue extends DelayingQueue {
  private readonly rateLimiter: RateLimiter;

  constructor(options: RateLimitingQueueOptions = {}) {
    const clock = options.clock ?? realClock;
    super({ clock });
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(clock);
  }

  /** Adds `key` after the delay the rate limiter assigns it. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets `key`'s backoff. Does not remove it from the queue. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }
}
