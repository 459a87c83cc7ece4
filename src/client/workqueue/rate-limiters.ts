import { type Clock, realClock } from "../util/clock.js";
import { RateLimiterConfigError } from "./errors.js";

/** Decides how long a key must wait before its next retry. */
export interface RateLimiter {
  /** Milliseconds `key` should wait now; records this as one more retry. */
  when(key: string): number;
  /** Stops tracking `key` (call after it succeeds); its backoff starts over. */
  forget(key: string): void;
  /** How many times `key` has been retried since it was last forgotten. */
  numRequeues(key: string): number;
}

export interface ItemExponentialFailureOptions {
  /** Delay after the first failure. Default: 5 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound on any delay. Default: 1 000 000 ms (1000 s). */
  readonly maxDelayMs?: number;
}

/** Per-key backoff: base·2^failures, capped at maxDelayMs. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ItemExponentialFailureOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    if (!(this.baseDelayMs >= 0) || !(this.maxDelayMs >= 0)) {
      throw new RateLimiterConfigError(
        `exponential backoff needs non-negative delays, got base ${this.baseDelayMs} ms and max ${this.maxDelayMs} ms`,
      );
    }
  }

  when(key: string): number {
    const exp = this.failures.get(key) ?? 0;
    this.failures.set(key, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return Number.isFinite(backoff) ? Math.min(backoff, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface BucketOptions {
  /** Tokens added per second. Default: 10. Infinity means never wait. */
  readonly qps?: number;
  /** Bucket size, and the tokens it starts with. Default: 100. */
  readonly burst?: number;
  /** Source of time. Default: realClock. */
  readonly clock?: Clock;
}

/**
 * An overall (not per-key) token bucket, as golang.org/x/time/rate's
 * Reserve().Delay(): each call takes a token, going into debt if none is left,
 * and returns how long until that token would have existed.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: BucketOptions = {}) {
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.clock = options.clock ?? realClock;
    if (!(this.qps > 0) || !(this.burst >= 1)) {
      throw new RateLimiterConfigError(
        `token bucket needs qps > 0 and burst >= 1, got qps ${this.qps} and burst ${this.burst}`,
      );
    }
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_key: string): number {
    if (this.qps === Number.POSITIVE_INFINITY) return 0;
    const now = this.clock.now();
    // A clock that went backwards refills nothing.
    const elapsedMs = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.qps) / 1000) - 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}

/** Asks every limiter (so each records the retry) and waits the longest. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    let longest = 0;
    for (const limiter of this.limiters) longest = Math.max(longest, limiter.when(key));
    return longest;
  }

  forget(key: string): void {
    for (const limiter of this.limiters) limiter.forget(key);
  }

  numRequeues(key: string): number {
    let most = 0;
    for (const limiter of this.limiters) most = Math.max(most, limiter.numRequeues(key));
    return most;
  }
}

/**
 * client-go's DefaultTypedControllerRateLimiter: per-key exponential backoff
 * from 5 ms to 1000 s, and overall at most 10 retries a second after a burst
 * of 100.
 */
export function defaultControllerRateLimiter(clock: Clock = realClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    new BucketRateLimiter({ qps: 10, burst: 100, clock }),
  );
}
