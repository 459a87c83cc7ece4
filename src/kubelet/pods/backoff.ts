/**
 * Per-container restart back-off (upstream's flowcontrol.Backoff as the
 * kubelet uses it): 10 s doubling to 5 min. A container that ran for 10
 * minutes before exiting starts over at 10 s, and so does an entry not
 * touched for twice the maximum.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
/** Running this long resets the back-off. */
export const GOOD_RUN_MS = 600_000;

interface Entry {
  delayMs: number;
  /** When the last restart was allowed. */
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /**
   * Is the container still backing off? `finishedAt` is when its last
   * instance ended; it may restart once the current delay has passed since.
   * Returns the remaining ms (0 = may start now).
   */
  remaining(key: string, finishedAt: number, now: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (now - e.lastUpdate > 2 * this.maxMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, finishedAt + e.delayMs - now);
  }

  /** Records a restart: the next one waits longer. `ranMs` is how long the last instance ran. */
  next(key: string, now: number, ranMs = 0): void {
    const e = this.entries.get(key);
    if (!e || ranMs >= GOOD_RUN_MS || now - e.lastUpdate > 2 * this.maxMs) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
      return;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.maxMs);
    e.lastUpdate = now;
  }

  /** The delay the next restart of key waits (for messages). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
