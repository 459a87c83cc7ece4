import { WorkQueueInvariantError } from "./errors.js";
import { Fifo } from "./fifo.js";

/** What get() hands a worker: a key to process, or the signal to stop. */
export type GetResult =
  | { readonly key: string; readonly shutdown: false }
  | { readonly key: undefined; readonly shutdown: true };

const SHUTDOWN: GetResult = { key: undefined, shutdown: true };

/**
 * A work queue of string keys with client-go's guarantees:
 *
 * - `dirty` holds every key that needs processing; `processing` holds every
 *   key a worker has taken with get() and not yet released with done().
 * - Adding a key that is already dirty is a no-op, so bursts coalesce.
 * - Adding a key that is being processed only marks it dirty; done() then
 *   queues it again, so it gets exactly one more pass and is never handed to
 *   two workers at once.
 * - Otherwise keys come out in the order they were added.
 *
 * After shutDown() adds are ignored, get() keeps handing out what is queued
 * and then resolves `{ shutdown: true }`.
 */
export class WorkQueue {
  private readonly queue = new Fifo();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  /** Workers parked in get(), oldest first. */
  private readonly waiters: Array<(result: GetResult) => void> = [];
  private closing = false;
  private drain: { readonly done: Promise<void>; readonly resolve: () => void } | undefined;

  /** Marks `key` as needing processing. Ignored once shutting down. */
  add(key: string): void {
    if (this.closing || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** Keys waiting to be handed out (not counting those being processed). */
  len(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the next key once one is available. The key counts as being
   * processed from that moment until done(key). Resolves `{ shutdown: true }`
   * once the queue is shutting down and nothing is left to hand out.
   */
  get(): Promise<GetResult> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.closing) return Promise.resolve(SHUTDOWN);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Releases a key taken with get(). If it was added again meanwhile, it goes
   * back on the queue for one more pass.
   * @throws WorkQueueInvariantError if `key` is not being processed.
   */
  done(key: string): void {
    if (!this.processing.delete(key)) {
      throw new WorkQueueInvariantError(
        `done(${JSON.stringify(key)}) for a key not being processed`,
      );
    }
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.dispatch();
    }
    this.settleDrain();
  }

  /**
   * Stops accepting keys. Workers get what is still queued, then
   * `{ shutdown: true }`. Also releases a pending shutDownWithDrain().
   */
  shutDown(): void {
    this.closing = true;
    this.wakeIdleWorkers();
    const drain = this.drain;
    this.drain = undefined;
    drain?.resolve();
  }

  /**
   * Like shutDown(), but the promise settles only once every queued key has
   * been handed out and every handed-out key released with done(). Workers
   * that never call done() keep it pending; a later shutDown() releases it.
   *
   * (client-go's code returns as soon as nothing is in flight even if keys
   * remain queued; this follows its documented intent instead.)
   */
  shutDownWithDrain(): Promise<void> {
    if (this.drain) return this.drain.done;
    this.closing = true;
    this.wakeIdleWorkers();
    if (this.isIdle()) return Promise.resolve();
    let resolve = (): void => {};
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    this.drain = { done, resolve };
    return done;
  }

  shuttingDown(): boolean {
    return this.closing;
  }

  /** Hands queued keys to parked workers, oldest worker first. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const waiter = this.waiters.shift();
      const key = this.queue.shift();
      if (waiter && key !== undefined) waiter(this.take(key));
    }
  }

  private take(key: string): GetResult {
    this.processing.add(key);
    this.dirty.delete(key);
    return { key, shutdown: false };
  }

  /** Parked workers only exist while the queue is empty: tell them to stop. */
  private wakeIdleWorkers(): void {
    for (const waiter of this.waiters.splice(0)) waiter(SHUTDOWN);
  }

  private isIdle(): boolean {
    return this.processing.size === 0 && this.queue.length === 0;
  }

  private settleDrain(): void {
    if (!this.drain || !this.isIdle()) return;
    const drain = this.drain;
    this.drain = undefined;
    drain.resolve();
  }
}
