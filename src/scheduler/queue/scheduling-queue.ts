import { type Clock, realClock } from "../../client/util/clock.js";
import { Heap } from "./heap.js";

export interface QueuedPod {
  readonly key: string;
  readonly priority: number;
  /** creationTimestamp in ms: older first among equal priorities. */
  readonly created: number;
}

export interface SchedulingQueueOptions {
  readonly clock?: Clock;
  /** Backoff after a failed attempt: initial (default 1 s) doubling to max (default 10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Unschedulable pods are retried at least this often even without a helpful event (default 60 s). */
  readonly unschedulableFlushMs?: number;
}

/**
 * The scheduling queue, upstream's shape: an active heap ordered by
 * priority then age; a backoff area for pods whose attempt failed; and an
 * unschedulable set that only cluster events (a node added or changed, a
 * pod deleted) or a periodic flush send back. pop() waits for work.
 */
export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly active = new Heap<QueuedPod>(
    (p) => p.key,
    (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.created < b.created),
  );
  private readonly backoff = new Map<string, { pod: QueuedPod; cancel: () => void }>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly attempts = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  /** Keys that got an event while being scheduled: they go straight back to active when done. */
  private readonly movedWhileInFlight = new Set<string>();
  private waiters: Array<(p: QueuedPod | undefined) => void> = [];
  private closed = false;
  private cancelFlush: (() => void) | undefined;

  constructor(private readonly opts: SchedulingQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.scheduleFlush();
  }

  /** A new or changed pod to schedule. */
  add(pod: QueuedPod): void {
    if (this.closed) return;
    if (this.inFlight.has(pod.key)) {
      this.movedWhileInFlight.add(pod.key);
      return;
    }
    this.unschedulable.delete(pod.key);
    const b = this.backoff.get(pod.key);
    if (b) {
      // Still backing off: keep the newest copy, wait out the backoff.
      this.backoff.set(pod.key, { pod, cancel: b.cancel });
      return;
    }
    this.activate(pod);
  }

  /** The pod is gone or no longer ours. */
  delete(key: string): void {
    this.active.remove(key);
    this.backoff.get(key)?.cancel();
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.attempts.delete(key);
  }

  /** The next pod to schedule; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.active.pop();
    if (next) {
      this.inFlight.add(next.key);
      return Promise.resolve(next);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The attempt bound the pod: forget its history. */
  done(key: string): void {
    this.inFlight.delete(key);
    this.movedWhileInFlight.delete(key);
    this.attempts.delete(key);
  }

  /** The pod fit nowhere: park it until a cluster event might help (or back off if one already came). */
  unschedulableAttempt(pod: QueuedPod): void {
    this.inFlight.delete(pod.key);
    const n = (this.attempts.get(pod.key) ?? 0) + 1;
    this.attempts.set(pod.key, n);
    if (this.movedWhileInFlight.delete(pod.key)) this.backOff(pod, n);
    else this.unschedulable.set(pod.key, pod);
  }

  /** The attempt failed for another reason (binding error, API error): retry after a backoff. */
  errorAttempt(pod: QueuedPod): void {
    this.inFlight.delete(pod.key);
    this.movedWhileInFlight.delete(pod.key);
    const n = (this.attempts.get(pod.key) ?? 0) + 1;
    this.attempts.set(pod.key, n);
    this.backOff(pod, n);
  }

  /** A cluster event that may make unschedulable pods fit: send them all back (through their backoff). */
  moveAllToActive(): void {
    for (const key of this.inFlight) this.movedWhileInFlight.add(key);
    const pods = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const pod of pods) this.backOff(pod, this.attempts.get(pod.key) ?? 1);
  }

  get pending(): { active: number; backoff: number; unschedulable: number } {
    return {
      active: this.active.size,
      backoff: this.backoff.size,
      unschedulable: this.unschedulable.size,
    };
  }

  close(): void {
    this.closed = true;
    this.cancelFlush?.();
    for (const b of this.backoff.values()) b.cancel();
    this.backoff.clear();
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }

  private backOff(pod: QueuedPod, attempts: number): void {
    const initial = this.opts.initialBackoffMs ?? 1000;
    const max = this.opts.maxBackoffMs ?? 10_000;
    const delay = Math.min(max, initial * 2 ** Math.max(0, attempts - 1));
    this.backoff.get(pod.key)?.cancel();
    const cancel = this.clock.setTimeout(() => {
      const entry = this.backoff.get(pod.key);
      this.backoff.delete(pod.key);
      if (entry && !this.closed) this.activate(entry.pod);
    }, delay);
    this.backoff.set(pod.key, { pod, cancel });
  }

  private activate(pod: QueuedPod): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.inFlight.add(pod.key);
      waiter(pod);
      return;
    }
    this.active.push(pod);
  }

  private scheduleFlush(): void {
    const every = this.opts.unschedulableFlushMs ?? 60_000;
    this.cancelFlush = this.clock.setTimeout(() => {
      if (this.closed) return;
      this.moveAllToActive();
      this.scheduleFlush();
    }, every);
  }
}
