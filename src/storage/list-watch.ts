/**
 * The list-then-watch loop behind the API server's in-memory caches (as
 * upstream's reflector feeds a shared informer): one complete list of a
 * key prefix (paged, one snapshot), then a watch from that list's revision
 * whose events the owner applies. A failed watch (CompactedError when the
 * history it needed is gone, or any other error) starts over with a fresh
 * list after a pause that doubles up to 5 s; one the store ended without
 * an error starts over too, after the first pause. The owner keeps the
 * state: it gets every snapshot and every event through two callbacks.
 */
import type { Logger } from "../util/log.js";
import type { KeyValue, Store, Watch, WatchEvent } from "./types.js";

export interface ListWatchHandlers {
  /**
   * The whole prefix as of `revision`, on the first list and on each new
   * one after a start over: it replaces what the owner had.
   */
  onList(kvs: readonly KeyValue[], revision: number): void;
  /** Each change after the listed revision, in revision order. */
  onEvent(ev: WatchEvent): void;
}

export interface ListWatchOptions {
  /** What the owner is called in warnings and errors, e.g. "RBAC cache". */
  readonly name: string;
  readonly log?: Logger;
  /** First wait before starting over after an error (doubles up to 5 s; default 200 ms). */
  readonly retryMs?: number;
}

const PAGE = 500;
const MAX_BACKOFF_MS = 5000;

export class ListWatch {
  /**
   * Resolves after the first complete list has been handed to onList;
   * rejects only if stopped before that.
   */
  readonly ready: Promise<void>;
  private stopped = false;
  private watch: Watch | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;
  private isReady = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly handlers: ListWatchHandlers,
    private readonly opts: ListWatchOptions,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody need wait on it: a stop before the first list is no error to report.
    this.ready.catch(() => {});
  }

  /** Starts the loop (once); returns `ready`. */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.ready;
  }

  /** Ends the loop: no callback runs once this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (!this.isReady)
      this.rejectReady(new Error(`${this.opts.name} stopped before its first list`));
    this.watch?.close();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const first = this.opts.retryMs ?? 200;
    let backoff = first;
    while (!this.stopped) {
      let failed = false;
      try {
        const revision = await this.list();
        if (!this.isReady) {
          this.isReady = true;
          this.resolveReady();
        }
        backoff = first;
        const watch = await this.store.watch(this.prefix, { afterRevision: revision });
        this.watch = watch;
        if (this.stopped) watch.close();
        for await (const ev of watch) this.handlers.onEvent(ev);
      } catch (err) {
        failed = true;
        if (!this.stopped) {
          this.opts.log?.warn(`${this.opts.name}: starting over with a new list`, {
            err: err instanceof Error ? err.message : String(err),
          });
        }
      } finally {
        this.watch = undefined;
      }
      if (this.stopped) break;
      // A watch that ended without an error (the store closed it) starts over too, after a pause.
      await this.sleep(backoff);
      if (failed) backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** Lists every page of one snapshot, hands it to onList and returns its revision. */
  private async list(): Promise<number> {
    const kvs: KeyValue[] = [];
    let revision: number | undefined;
    let continueFrom: string | undefined;
    do {
      const page = await this.store.list(this.prefix, {
        limit: PAGE,
        ...(continueFrom !== undefined ? { continueFrom } : {}),
        ...(revision !== undefined ? { atRevision: revision } : {}),
      });
      revision = page.revision;
      kvs.push(...page.items);
      continueFrom = page.continueFrom;
    } while (continueFrom !== undefined);
    this.handlers.onList(kvs, revision);
    return revision;
  }

  /** Waits `ms`, or less when stop() wakes it. */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }
}

/**
 * An in-memory mirror of a store prefix kept current by a ListWatch: the
 * subclass rebuilds its state from each list (`relist`) and applies each
 * event (`apply`); the revision it reflects is kept here, set before either
 * runs so what they notify already sees it.
 */
export abstract class PrefixMirror {
  /** Resolves after the first complete list; rejects only if stopped before that. */
  readonly ready: Promise<void>;
  private readonly listWatch: ListWatch;
  private rev = 0;

  constructor(store: Store, prefix: string, opts: ListWatchOptions) {
    this.listWatch = new ListWatch(
      store,
      prefix,
      {
        onList: (kvs, revision) => {
          this.rev = revision;
          this.relist(kvs, revision);
        },
        onEvent: (ev) => {
          this.rev = Math.max(this.rev, ev.revision);
          this.apply(ev);
        },
      },
      opts,
    );
    this.ready = this.listWatch.ready;
  }

  /** Lists and starts watching; returns `ready`. */
  start(): Promise<void> {
    return this.listWatch.start();
  }

  stop(): Promise<void> {
    return this.listWatch.stop();
  }

  /** The store revision the mirror has caught up to. */
  get revision(): number {
    return this.rev;
  }

  /** A fresh snapshot of the prefix as of `revision`: it replaces the mirror's state. */
  protected abstract relist(kvs: readonly KeyValue[], revision: number): void;

  /** One change after the listed revision. */
  protected abstract apply(ev: WatchEvent): void;
}
