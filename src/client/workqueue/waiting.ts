import { WorkQueueInvariantError } from "./errors.js";

interface Entry {
  readonly key: string;
  readyAt: number;
  seq: number;
}

/**
 * Keys waiting for a time, earliest first (ties in scheduling order). Each key
 * appears at most once: scheduling it again keeps the earlier of the two times.
 * A binary min-heap with a key → slot map, so every operation is O(log n).
 */
export class WaitingSet {
  private readonly heap: Entry[] = [];
  private readonly slots = new Map<string, number>();
  private seq = 0;

  /** The earliest ready time, or undefined when nothing waits. */
  peekTime(): number | undefined {
    return this.heap[0]?.readyAt;
  }

  /** Schedules `key` for `readyAt` unless it already waits for an earlier or equal time. */
  schedule(key: string, readyAt: number): void {
    const slot = this.slots.get(key);
    if (slot === undefined) {
      this.heap.push({ key, readyAt, seq: this.seq++ });
      this.up(this.heap.length - 1);
      return;
    }
    const entry = this.at(slot);
    if (readyAt >= entry.readyAt) return;
    entry.readyAt = readyAt;
    entry.seq = this.seq++;
    this.up(slot);
  }

  /** Removes and returns the earliest key if it is ready at `now`. */
  popReady(now: number): string | undefined {
    const top = this.heap[0];
    if (!top || top.readyAt > now) return undefined;
    const last = this.heap.pop();
    if (last && last !== top) {
      this.place(last, 0);
      this.down(0);
    }
    this.slots.delete(top.key);
    return top.key;
  }

  clear(): void {
    this.heap.length = 0;
    this.slots.clear();
  }

  private at(i: number): Entry {
    const entry = this.heap[i];
    if (!entry) throw new WorkQueueInvariantError(`waiting heap slot ${i} is empty`);
    return entry;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  private place(entry: Entry, i: number): void {
    this.heap[i] = entry;
    this.slots.set(entry.key, i);
  }

  private up(i: number): void {
    const entry = this.at(i);
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = this.at(parentIndex);
      if (!this.less(entry, parent)) break;
      this.place(parent, i);
      i = parentIndex;
    }
    this.place(entry, i);
  }

  private down(i: number): void {
    const entry = this.at(i);
    const n = this.heap.length;
    for (;;) {
      let best = i;
      let bestEntry = entry;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        const candidate = child < n ? this.at(child) : undefined;
        if (candidate && this.less(candidate, bestEntry)) {
          best = child;
          bestEntry = candidate;
        }
      }
      if (best === i) break;
      this.place(bestEntry, i);
      i = best;
    }
    this.place(entry, i);
  }
}
