import type { Clock } from "../../client/util/clock.js";

/** Upstream's failedPodsBackoff: 1 s doubling to 15 min. */
const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

interface Entry {
  delay: number;
  at: number;
}

/**
 * Per-(DaemonSet, node) backoff for deleting failed daemon pods. A kubelet
 * that keeps rejecting the pod (say, a host port taken) would otherwise
 * have the controller delete and recreate it in a hot loop.
 */
export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until `key` may delete again; 0 when it may now. */
  remaining(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(e.at + e.delay - this.clock.now(), 0);
  }

  /** Records a deletion: the next one for `key` waits twice as long (reset after a quiet spell). */
  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    if (!e || now - e.at > 2 * MAX_MS) {
      this.entries.set(key, { delay: INITIAL_MS, at: now });
      return;
    }
    this.entries.set(key, { delay: Math.min(e.delay * 2, MAX_MS), at: now });
  }

  /** Drops entries idle long enough to have reset anyway. */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (now - e.at > 2 * MAX_MS) this.entries.delete(k);
  }
}
