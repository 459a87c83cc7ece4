/**
 * When to sync: upstream's BoundedFrequencyRunner. Requests coalesce
 * (a burst of informer events becomes one sync), syncs never overlap, at
 * most `burst` run back to back and then one per `minIntervalMs`
 * (--iptables-min-sync-period), one runs at least every `maxIntervalMs`
 * (--iptables-sync-period) so rules flushed behind our back come back, and
 * a failed sync is retried with backoff.
 */
import { type Clock, realClock } from "../client/util/clock.js";

export interface SyncRunnerOptions {
  /** Least time between syncs once the burst is spent (default 1000, upstream's min-sync-period). */
  readonly minIntervalMs?: number;
  /** A sync runs at least this often (default 30000, upstream's sync-period). */
  readonly maxIntervalMs?: number;
  /** Syncs allowed back to back (default 2, as upstream). */
  readonly burst?: number;
  readonly clock?: Clock;
  /** Where a failed sync is reported (it is retried either way). */
  readonly onError?: (err: unknown) => void;
}

export class SyncRunner {
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private lastRefill: number;
  private pending = false;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private cancelPeriodic: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly opts: SyncRunnerOptions = {},
  ) {
    this.minInterval = opts.minIntervalMs ?? 1000;
    this.maxInterval = opts.maxIntervalMs ?? 30_000;
    this.burst = Math.max(1, opts.burst ?? 2);
    this.clock = opts.clock ?? realClock;
    this.tokens = this.burst;
    this.lastRefill = this.clock.now();
  }

  /** Starts the periodic sync and runs the first one now. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.run();
  }

  /** Asks for a sync as soon as the rate limit allows. */
  run(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule(0);
  }

  /** Resolves once no sync is running or waiting (tests and shutdown). */
  idle(): Promise<void> {
    if (!this.pending && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the timers and waits for a running sync to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.cancelPeriodic?.();
    await this.running;
    this.notifyIdle();
  }

  private refill(): void {
    const now = this.clock.now();
    const earned = (now - this.lastRefill) / this.minInterval;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.lastRefill = now;
  }

  /** Arms the one-shot timer for a sync no sooner than `delay` from now (keeping an earlier one). */
  private schedule(delay: number): void {
    if (this.stopped || this.running) return;
    this.refill();
    const wait = Math.max(delay, this.tokens >= 1 ? 0 : (1 - this.tokens) * this.minInterval);
    const at = this.clock.now() + wait;
    if (at >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = at;
    // Even "now" goes through a timer, so events of one tick coalesce into one sync.
    this.cancelTimer = this.clock.setTimeout(() => {
      this.cancelTimer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.fire();
    }, wait);
  }

  private fire(): void {
    if (this.stopped || this.running) return;
    this.refill();
    if (this.tokens < 1) {
      this.schedule(0);
      return;
    }
    this.tokens -= 1;
    this.pending = false;
    this.cancelPeriodic?.();
    this.running = this.execute();
  }

  private async execute(): Promise<void> {
    let retry: number | undefined;
    try {
      await this.fn();
      this.failures = 0;
    } catch (err) {
      this.failures++;
      // Back off from the min interval up to the periodic interval (upstream waits a full period).
      retry = Math.min(this.minInterval * 2 ** (this.failures - 1), this.maxInterval);
      this.opts.onError?.(err);
    }
    this.running = undefined;
    if (this.stopped) return;
    this.cancelPeriodic = this.clock.setTimeout(() => this.run(), this.maxInterval);
    if (retry !== undefined) {
      this.pending = true;
      this.schedule(retry);
    } else if (this.pending) {
      this.schedule(0);
    } else {
      this.notifyIdle();
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
