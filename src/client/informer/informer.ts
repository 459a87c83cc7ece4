import { GoneError } from "../rest/errors.js";
import type { KubeObjectLike, ResourceClient } from "../rest/resource.js";
import { type Clock, realClock } from "../util/clock.js";
import { Indexer, type IndexFunc, objectKey } from "./indexer.js";

const FAILED = Symbol("failed");

/** A deletion the informer only noticed by relisting: the last state it had is all it knows. */
export interface DeletedFinalStateUnknown<T> {
  readonly key: string;
  readonly obj: T;
  readonly tombstone: true;
}

export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/**
 * What an informer reads from: list and watch of one resource. A
 * ResourceClient is one; tests pass a scripted fake.
 */
export type ListerWatcher<T extends KubeObjectLike> = Pick<
  ResourceClient<T>,
  "ref" | "list" | "watch"
>;

export interface InformerOptions<T> {
  /** Watch one namespace (default: all). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Redeliver every cached object as an update this often (default: never). */
  readonly resyncPeriodMs?: number;
  /** Page size of the initial list and relists (default 500). */
  readonly pageSize?: number;
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
  readonly clock?: Clock;
  /** Where handler exceptions and reconnects are reported (default: stderr warnings). */
  readonly onError?: (err: unknown, context: string) => void;
}

/** The object of an event, whether a live object or a tombstone. */
export function objectOf<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return (obj as DeletedFinalStateUnknown<T>).tombstone === true
    ? (obj as DeletedFinalStateUnknown<T>).obj
    : (obj as T);
}

/**
 * ListAndWatch into an indexed cache, as client-go's reflector + shared
 * informer: list (paged) at a snapshot, then watch from its
 * resourceVersion with bookmarks; when a watch ends, watch again from the
 * last resourceVersion seen; on 410 Gone, relist and deliver the
 * differences (objects that vanished meanwhile arrive as tombstones).
 * Handlers get level changes only: an update whose resourceVersion did not
 * change is not delivered (except by resync).
 */
export class Informer<T extends KubeObjectLike> {
  readonly store: Indexer<T>;
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly clock: Clock;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private running = false;
  private abort: AbortController | undefined;
  private lastResourceVersion = "";
  private cancelResync: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: ListerWatcher<T>,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.store = new Indexer<T>(opts.indexers ?? {});
  }

  /** Adds handlers; if the cache is already filled, they first get an add for every object. */
  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.store.list()) this.call(h, "add", () => h.onAdd?.(obj));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been delivered (or the informer stopped). */
  waitForSync(): Promise<void> {
    if (this.synced || !this.running) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The resourceVersion the cache is at. */
  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // One signal for this run: stop() aborts the list, the watch and any backoff sleep.
    this.abort = new AbortController();
    this.loop = this.run();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    this.cancelResync?.();
    for (const w of this.syncWaiters) w();
    this.syncWaiters = [];
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = 200;
    let needList = true;
    while (this.running) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        if (!this.running) break;
        const started = this.clock.now();
        const events = await this.watchOnce();
        // A watch that ends at once with nothing in it is a failure in
        // disguise (upstream's "very short watch"): back off, don't spin.
        if (events === 0 && this.clock.now() - started < 1000) {
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, 30_000);
        } else {
          backoff = 200;
        }
      } catch (err) {
        if (!this.running) break;
        if (err instanceof GoneError) {
          // History we needed is gone: start over from a fresh list (after a pause if it keeps happening).
          needList = true;
          if (backoff > 200) await this.sleep(backoff);
          backoff = Math.min(backoff * 2, 30_000);
          continue;
        }
        this.report(err, "list/watch");
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private listOptions() {
    return {
      ...(this.opts.namespace ? { namespace: this.opts.namespace } : {}),
      ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
    };
  }

  /** Lists everything (in pages of one snapshot) and replaces the cache, delivering the differences. */
  private async relist(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = "";
    do {
      const page = await this.client.list({
        ...this.listOptions(),
        limit: this.opts.pageSize ?? 500,
        ...(cont ? { continue: cont } : {}),
        ...(this.abort ? { signal: this.abort.signal } : {}),
      });
      items.push(...page.items);
      rv = page.metadata.resourceVersion ?? rv;
      cont = page.metadata.continue;
    } while (cont);
    if (!this.running) return;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.upsert(obj);
      if (old === FAILED) continue;
      if (!old) this.dispatch("add", obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion)
        this.dispatch("update", obj, old);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.remove(key) as T;
      this.dispatch("delete", { key, obj: old, tombstone: true });
    }
    this.lastResourceVersion = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters) w();
      this.syncWaiters = [];
    }
  }

  /** One watch from the cache's resourceVersion; resolves with how many events it delivered. */
  private async watchOnce(): Promise<number> {
    let delivered = 0;
    const events = this.client.watch({
      ...this.listOptions(),
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      // Like client-go, end each watch after a while and start another.
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      ...(this.abort ? { signal: this.abort.signal } : {}),
    });
    for await (const ev of events) {
      if (!this.running) return delivered;
      delivered++;
      const rv = ev.object.metadata?.resourceVersion;
      if (ev.type === "BOOKMARK") {
        if (rv) this.lastResourceVersion = rv;
        continue;
      }
      const obj = ev.object;
      const key = objectKey(obj);
      if (ev.type === "DELETED") {
        this.store.remove(key);
        this.dispatch("delete", obj);
      } else {
        const old = this.upsert(obj);
        if (old !== FAILED) {
          if (old) this.dispatch("update", obj, old);
          else this.dispatch("add", obj);
        }
      }
      if (rv) this.lastResourceVersion = rv;
    }
    return delivered;
  }

  /** Stores an object; an index function that throws is reported and the object skipped, never replayed forever. */
  private upsert(obj: T): T | undefined | typeof FAILED {
    try {
      return this.store.upsert(obj);
    } catch (err) {
      this.report(err, `indexing ${objectKey(obj)}`);
      return FAILED;
    }
  }

  private scheduleResync(): void {
    const period = this.opts.resyncPeriodMs;
    if (!period || period <= 0) return;
    this.cancelResync = this.clock.setTimeout(() => {
      if (!this.running) return;
      if (this.synced) for (const obj of this.store.list()) this.dispatch("update", obj, obj);
      this.scheduleResync();
    }, period);
  }

  private dispatch(type: "add", obj: T): void;
  private dispatch(type: "update", obj: T, old: T): void;
  private dispatch(type: "delete", obj: T | DeletedFinalStateUnknown<T>): void;
  private dispatch(
    type: "add" | "update" | "delete",
    obj: T | DeletedFinalStateUnknown<T>,
    old?: T,
  ): void {
    for (const h of this.handlers) {
      if (type === "add") this.call(h, type, () => h.onAdd?.(obj as T));
      else if (type === "update") this.call(h, type, () => h.onUpdate?.(old as T, obj as T));
      else this.call(h, type, () => h.onDelete?.(obj));
    }
  }

  private call(_h: EventHandlers<T>, type: string, fn: () => unknown): void {
    try {
      const result = fn();
      // An async handler's rejection is reported like a throw, never left unhandled.
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(undefined, (err: unknown) =>
          this.report(err, `${type} handler`),
        );
      }
    } catch (err) {
      this.report(err, `${type} handler`);
    }
  }

  private report(err: unknown, context: string): void {
    if (this.opts.onError) this.opts.onError(err, context);
    else process.emitWarning(`informer ${this.client.ref.resource}: ${context}: ${String(err)}`);
  }

  /** Waits `ms`, or less if stop() aborts (or has already aborted) this run. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort?.signal;
      // A watch ended by stop() lands here after the abort: an abort listener added now would never fire.
      if (signal?.aborted) {
        resolve();
        return;
      }
      const onAbort = () => {
        cancel();
        resolve();
      };
      const cancel = this.clock.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
