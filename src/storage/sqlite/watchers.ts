import { EventQueue } from "../event-queue.js";
import type { Watch, WatchEvent } from "../types.js";

interface Watcher {
  readonly prefix: string;
  readonly queue: EventQueue<WatchEvent>;
}

/**
 * In-process fan-out of committed changes to watchers. The store is the
 * only writer of its file, so it publishes each batch right after commit,
 * in revision order; no polling of the table is needed.
 */
export class WatcherSet {
  private readonly watchers = new Set<Watcher>();

  /** `revision` reads the store's current revision (every commit up to it is published). */
  constructor(private readonly revision: () => number) {}

  /** Registers a watcher whose stream starts with `backlog`. */
  add(prefix: string, backlog: readonly WatchEvent[]): Watch {
    const watcher: Watcher = {
      prefix,
      queue: new EventQueue<WatchEvent>(() => this.watchers.delete(watcher)),
    };
    for (const event of backlog) watcher.queue.push(event);
    this.watchers.add(watcher);
    return {
      close: () => {
        watcher.queue.end();
        this.watchers.delete(watcher);
      },
      [Symbol.asyncIterator]: () => watcher.queue[Symbol.asyncIterator](),
      // Publishing is synchronous with commit: an empty queue means everything
      // up to the current revision has been taken by the consumer.
      progress: () => (watcher.queue.size === 0 ? this.revision() : undefined),
    };
  }

  publish(events: readonly WatchEvent[]): void {
    if (this.watchers.size === 0) return;
    for (const watcher of this.watchers) {
      for (const event of events) {
        const key = event.type === "put" ? event.kv.key : event.key;
        if (key.startsWith(watcher.prefix)) watcher.queue.push(event);
      }
    }
  }

  failAll(error: Error): void {
    for (const watcher of this.watchers) watcher.queue.fail(error);
    this.watchers.clear();
  }

  get size(): number {
    return this.watchers.size;
  }
}
