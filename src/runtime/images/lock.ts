/**
 * In-process mutual exclusion per key: run(key, fn) waits for earlier
 * holders of the same key. Used so two pulls of one image (or two
 * downloads of one blob) at once do the work once.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** True while someone holds or waits for the key. */
  isLocked(key: string): boolean {
    return this.tails.has(key);
  }
}

/**
 * Shares one in-flight promise among callers asking for the same key at
 * once; the next call after it settles starts afresh.
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<unknown>>();

  do<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    if (existing) return existing as Promise<T>;
    const p = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}
