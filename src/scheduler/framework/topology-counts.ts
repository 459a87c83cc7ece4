/** Counters keyed by a topology pair (label key, label value), as several plugins keep. */
export class TopologyCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  get(key: string, value: string): number {
    return this.counts.get(key)?.get(value) ?? 0;
  }

  /** Add `n` (may be negative); a pair that drops to zero is forgotten. */
  add(key: string, input: { readonly value: string; readonly n: number }): void {
    let byValue = this.counts.get(key);
    if (!byValue) {
      byValue = new Map();
      this.counts.set(key, byValue);
    }
    const next = (byValue.get(input.value) ?? 0) + input.n;
    if (next === 0) byValue.delete(input.value);
    else byValue.set(input.value, next);
    if (byValue.size === 0) this.counts.delete(key);
  }

  /** Number of pairs with a non-zero count. */
  get size(): number {
    let n = 0;
    for (const byValue of this.counts.values()) n += byValue.size;
    return n;
  }

  /** Sum, over the node's labels, of the counts of pairs the node is in. */
  sumForLabels(labels: Readonly<Record<string, string>>): number {
    let sum = 0;
    for (const [key, byValue] of this.counts) {
      const value = labels[key];
      if (value !== undefined) sum += byValue.get(value) ?? 0;
    }
    return sum;
  }

  /** Whether any of the node's labels forms a pair with a positive count. */
  anyPositiveForLabels(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, byValue] of this.counts) {
      const value = labels[key];
      if (value !== undefined && (byValue.get(value) ?? 0) > 0) return true;
    }
    return false;
  }
}
