/**
 * Nodes pods point at but the cache lacks, and since when. A node only
 * just created may not be in the cache yet, so it is quarantined and
 * checked against the API server only after `quarantineMs` (upstream's 40 s).
 */
export class MissingNodeQuarantine {
  private readonly since = new Map<string, number>();

  constructor(private readonly quarantineMs: number) {}

  /**
   * Records this pass's missing nodes (forgetting ones no longer missing)
   * and returns those quarantined long enough to check.
   */
  due(missing: ReadonlySet<string>, now: number): string[] {
    for (const name of this.since.keys()) if (!missing.has(name)) this.since.delete(name);
    const out: string[] = [];
    for (const name of missing) {
      const at = this.since.get(name) ?? now;
      this.since.set(name, at);
      if (now - at >= this.quarantineMs) out.push(name);
    }
    return out;
  }

  /** The node turned out to exist: start over if it goes missing again. */
  clear(name: string): void {
    this.since.delete(name);
  }
}
