import { type Clock, realClock } from "../util/clock.js";
import { WorkQueue } from "./queue.js";
import { WaitingSet } from "./waiting.js";

/** Longest delay a Node.js timer accepts; longer waits are re-armed on expiry. */
const MAX_TIMER_MS = 2_147_483_647;

export interface DelayingQueueOptions {
  /** Source of time and timers. Default: realClock. */
  readonly clock?: Clock;
}

/**
 * A WorkQueue that can also add a key after a delay. A key scheduled several
 * times while waiting fires once, at the earliest of its times. One timer is
 * armed at a time, for the earliest waiting key; shutting down cancels it and
 * forgets every waiting key.
 */
export class DelayingQueue extends WorkQueue {
  protected readonly clock: Clock;
  private readonly waiting = new WaitingSet();
  private timer: { readonly at: number; readonly cancel: () => void } | undefined;

  constructor(options: DelayingQueueOptions = {}) {
    super();
    this.clock = options.clock ?? realClock;
  }

  /** Adds `key` once `ms` have passed; at once when `ms` <= 0. Ignored once shutting down. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown()) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    this.waiting.schedule(key, this.clock.now() + ms);
    this.arm();
  }

  override shutDown(): void {
    this.stopWaiting();
    super.shutDown();
  }

  override shutDownWithDrain(): Promise<void> {
    this.stopWaiting();
    return super.shutDownWithDrain();
  }

  /** Moves every due key onto the queue, then re-arms for the next one. */
  private fire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (
      let key = this.waiting.popReady(now);
      key !== undefined;
      key = this.waiting.popReady(now)
    ) {
      this.add(key);
    }
    this.arm();
  }

  /** Ensures a timer is armed no later than the earliest waiting key. */
  private arm(): void {
    const next = this.waiting.peekTime();
    if (next === undefined) return;
    if (this.timer) {
      if (this.timer.at <= next) return;
      this.timer.cancel();
    }
    const wait = Math.min(Math.max(0, next - this.clock.now()), MAX_TIMER_MS);
    this.timer = { at: next, cancel: this.clock.setTimeout(() => this.fire(), wait) };
  }

  private stopWaiting(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.waiting.clear();
  }
}
