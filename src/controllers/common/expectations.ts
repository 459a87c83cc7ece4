import { type Clock, realClock } from "../../client/util/clock.js";

/** How long expectations hold before a controller stops trusting them (upstream: 5 minutes). */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Record {
  add: number;
  /** UIDs of pods whose deletion was requested and not yet observed. */
  readonly deleting: Set<string>;
  readonly at: number;
}

/**
 * What a controller asked the API server to do and has not yet seen in
 * its informer cache (upstream's ControllerExpectations with the UID
 * tracking of deletions). Until the creates and deletes it issued are
 * observed, `satisfied(key)` is false and the controller must not act on
 * its (stale) cache again — otherwise one scale-up would create twice.
 * Expectations expire after a TTL so a lost event cannot wedge a key.
 */
export class Expectations {
  private readonly records = new Map<string, Record>();

  constructor(private readonly opts: { clock?: Clock; ttlMs?: number } = {}) {}

  private get clock(): Clock {
    return this.opts.clock ?? realClock;
  }

  /** True when the controller may trust its cache for this key. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.deleting.size === 0) return true;
    return this.clock.now() - r.at > (this.opts.ttlMs ?? EXPECTATIONS_TTL_MS);
  }

  /** Replaces the key's expectations with `adds` creations and these deletions. */
  expect(key: string, opts: { adds?: number; deleteUids?: readonly string[] }): void {
    this.records.set(key, {
      add: opts.adds ?? 0,
      deleting: new Set(opts.deleteUids ?? []),
      at: this.clock.now(),
    });
  }

  /** One creation was observed (or a create call failed and will not be observed). */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  /** A deletion was observed (or a delete call failed); idempotent per UID. */
  deletionObserved(key: string, uid: string): void {
    this.records.get(key)?.deleting.delete(uid);
  }

  /** Forgets the key (its owner was deleted). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** Pending counts (for tests and debugging). */
  pending(key: string): { adds: number; deletes: number } | undefined {
    const r = this.records.get(key);
    return r ? { adds: r.add, deletes: r.deleting.size } : undefined;
  }
}
