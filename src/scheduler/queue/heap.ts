/** A binary min-heap by `less`, with removal by key. */
export class Heap<T> {
  private items: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly key: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** Adds, or replaces the item with the same key. */
  push(item: T): void {
    const k = this.key(item);
    const at = this.index.get(k);
    if (at !== undefined) {
      this.items[at] = item;
      this.up(at);
      this.down(at);
      return;
    }
    this.items.push(item);
    this.index.set(k, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0] as T;
    this.removeAt(0);
    return top;
  }

  remove(key: string): void {
    const at = this.index.get(key);
    if (at !== undefined) this.removeAt(at);
  }

  private removeAt(at: number): void {
    const last = this.items.length - 1;
    const removed = this.items[at] as T;
    this.index.delete(this.key(removed));
    if (at !== last) {
      const moved = this.items[last] as T;
      this.items[at] = moved;
      this.index.set(this.key(moved), at);
    }
    this.items.pop();
    if (at < this.items.length) {
      this.up(at);
      this.down(at);
    }
  }

  private swap(a: number, b: number): void {
    const x = this.items[a] as T;
    const y = this.items[b] as T;
    this.items[a] = y;
    this.items[b] = x;
    this.index.set(this.key(y), a);
    this.index.set(this.key(x), b);
  }

  private up(i: number): void {
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(this.items[at] as T, this.items[parent] as T)) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  private down(i: number): void {
    let at = i;
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let best = at;
      if (l < this.items.length && this.less(this.items[l] as T, this.items[best] as T)) best = l;
      if (r < this.items.length && this.less(this.items[r] as T, this.items[best] as T)) best = r;
      if (best === at) return;
      this.swap(at, best);
      at = best;
    }
  }
}
