import { Etcd3, type IKeyValue, type IResponseOp, type Watcher } from "etcd3";
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreInvariantError,
  StoreUnavailableError,
  ValueTooLargeError,
} from "../errors.js";
import { EventQueue } from "../event-queue.js";
import { checkContinueFrom, checkKey, keyAfter, prefixEnd } from "../keys.js";
import {
  DEFAULT_MAX_VALUE_BYTES,
  type DeleteOptions,
  type GetOptions,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from "../types.js";

export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** Largest value accepted, in bytes (default 1.5 MiB, etcd's own default request limit). */
  readonly maxValueBytes?: number;
  /** How long a unary call may take before it fails, in ms (default 10 s). */
  readonly callTimeoutMs?: number;
  /**
   * Compact etcd's history this often, to the revision seen one interval
   * earlier, as upstream's API server does (default 5 minutes; 0 turns it
   * off, for an etcd someone else compacts).
   */
  readonly compactionIntervalMs?: number;
}

/**
 * The store on a real etcd cluster through its v3 gRPC API. Every write is
 * one etcd transaction whose compare carries the CAS condition; reads at a
 * revision are etcd's own MVCC reads; watches are etcd watches with prev_kv.
 * History is compacted periodically (compactionIntervalMs), as upstream's API server does.
 */
export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly maxValueBytes: number;
  private readonly watches = new Set<EventQueue<WatchEvent>>();
  private closed = false;

  constructor(opts: EtcdStoreOptions) {
    const timeout = opts.callTimeoutMs ?? 10_000;
    this.client = new Etcd3({
      hosts: opts.endpoints.map((e) => e.replace(/^https?:\/\//, "")),
      defaultCallOptions: () => ({ deadline: Date.now() + timeout }),
    });
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    const interval = opts.compactionIntervalMs ?? 5 * 60_000;
    if (interval > 0) {
      this.compactionTimer = setInterval(() => void this.autoCompact(), interval);
      this.compactionTimer.unref();
    }
  }

  private compactionTimer: NodeJS.Timeout | undefined;
  private lastSeenRevision: number | undefined;

  /**
   * Compacts to the revision seen at the previous tick, so at least one
   * interval of history stays. Several API servers doing this on one etcd
   * is harmless: compacting an already compacted revision is a no-op.
   */
  private async autoCompact(): Promise<void> {
    if (this.closed) return;
    try {
      const now = await this.currentRevision();
      if (this.lastSeenRevision !== undefined && this.lastSeenRevision > 1)
        await this.compact(this.lastSeenRevision);
      this.lastSeenRevision = now;
    } catch (err) {
      process.emitWarning(`etcd compaction failed: ${String(err)}`);
    }
  }

  // ---- reads -------------------------------------------------------------

  async get(key: string, opts: GetOptions = {}): Promise<KeyValue | undefined> {
    this.checkOpen();
    checkKey(key);
    const res = await this.call(() =>
      this.client.kv.range({
        key: Buffer.from(key),
        ...(opts.atRevision !== undefined ? { revision: opts.atRevision } : {}),
      }),
    );
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    let start = prefix;
    if (opts.continueFrom !== undefined) {
      checkContinueFrom(prefix, opts.continueFrom);
      start = opts.continueFrom;
    }
    const end = prefixEnd(prefix);
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined;
    const res = await this.call(() =>
      this.client.kv.range({
        key: Buffer.from(start),
        // "\0" as range_end means "every key >= key" in etcd.
        range_end: end === undefined ? Buffer.from([0]) : Buffer.from(end),
        ...(limit !== undefined ? { limit } : {}),
        ...(opts.atRevision ? { revision: opts.atRevision } : {}),
      }),
    );
    const items = res.kvs.map(toKeyValue);
    const revision = Number(res.header.revision);
    // With a limit, etcd still reports `more`; the snapshot revision is the
    // one asked for when paging through an older snapshot.
    const snapshot = opts.atRevision ? opts.atRevision : revision;
    const last = items[items.length - 1];
    if (res.more && last) return { items, revision: snapshot, continueFrom: keyAfter(last.key) };
    return { items, revision: snapshot };
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    const res = await this.call(() =>
      this.client.kv.range({ key: Buffer.from([0]), count_only: true }),
    );
    return Number(res.header.revision);
  }

  // ---- writes ------------------------------------------------------------

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkWrite(key, value);
    const k = Buffer.from(key);
    const res = await this.call(() =>
      this.client.kv.txn({
        compare: [{ key: k, target: "Create", result: "Equal", create_revision: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [],
      }),
    );
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision, version: 1 };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    this.checkWrite(key, value);
    const k = Buffer.from(key);
    const res = await this.call(() =>
      this.client.kv.txn({
        compare: [
          { key: k, target: "Mod", result: "Equal", mod_revision: expectedModRevision },
          // A missing key has mod_revision 0: make sure 0 never matches.
          { key: k, target: "Create", result: "Greater", create_revision: 0 },
        ],
        success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.casFailure(key, expectedModRevision, res.responses);
    const prev = res.responses[0]?.response_put.prev_kv;
    if (!prev) throw new StoreInvariantError(`update of ${key} succeeded without a previous value`);
    return {
      key,
      value,
      createRevision: Number(prev.create_revision),
      modRevision: Number(res.header.revision),
      version: Number(prev.version) + 1,
    };
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<KeyValue> {
    this.checkOpen();
    checkKey(key);
    const k = Buffer.from(key);
    const expected = opts.expectedModRevision;
    const res = await this.call(() =>
      this.client.kv.txn({
        compare:
          expected === undefined
            ? [{ key: k, target: "Create", result: "Greater", create_revision: 0 }]
            : [{ key: k, target: "Mod", result: "Equal", mod_revision: expected }],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.casFailure(key, expected ?? 0, res.responses);
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev) throw new KeyNotFoundError(key);
    return toKeyValue(prev);
  }

  private casFailure(key: string, expected: number, responses: IResponseOp[]): Error {
    const current = responses[0]?.response_range.kvs[0];
    if (!current) return new KeyNotFoundError(key);
    return new ConflictError(key, expected, Number(current.mod_revision));
  }

  private checkWrite(key: string, value: Uint8Array): void {
    this.checkOpen();
    checkKey(key);
    if (value.byteLength > this.maxValueBytes) {
      throw new ValueTooLargeError(key, value.byteLength, this.maxValueBytes);
    }
  }

  // ---- watch -------------------------------------------------------------

  async watch(prefix: string, opts: WatchOptions = {}): Promise<Watch> {
    this.checkOpen();
    const after = opts.afterRevision ?? (await this.currentRevision());
    // etcd would accept a watch starting exactly at the compacted revision;
    // our contract (reads at >= the compacted revision work) asks for a read
    // at `after`, so probe it first and fail the same way both backends do.
    await this.probeRevision(prefix, after);
    const end = prefixEnd(prefix);
    const builder = this.client
      .watch()
      .inRange({ start: Buffer.from(prefix), end: end === undefined ? Buffer.from([0]) : end })
      .withPreviousKV()
      .startRevision(String(after + 1));
    const watcher: Watcher = builder.watcher();
    let cancelled = false;
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      this.watches.delete(queue);
      void watcher.cancel().catch(() => {});
    };
    const queue: EventQueue<WatchEvent> = new EventQueue<WatchEvent>(cancel);
    this.watches.add(queue);
    watcher.on("data", (res) => {
      for (const ev of res.events) {
        try {
          queue.push(toEvent(ev.type, ev.kv, ev.prev_kv));
        } catch (err) {
          queue.fail(err);
          cancel();
          return;
        }
      }
    });
    watcher.on("error", (err: Error) => {
      void this.watchFailure(after, err).then((e) => queue.fail(e));
      cancel();
    });
    // The client library would reconnect on its own and resume from a
    // revision it cannot vouch for; instead end this watch so its consumer
    // re-watches from the last event it actually received.
    watcher.on("disconnected", () => {
      queue.fail(
        new StoreUnavailableError(
          "etcd watch stream broke; watch again from the last revision seen",
        ),
      );
      cancel();
    });
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError("etcd did not establish the watch within 10 s")),
        10_000,
      );
      watcher.once("connected", () => resolve());
      watcher.once("error", (err: Error) => reject(err));
    })
      .catch(async (err: unknown) => {
        cancel();
        throw err instanceof StoreUnavailableError ? err : await this.watchFailure(after, err);
      })
      .finally(() => clearTimeout(timer));
    return {
      close: () => {
        queue.end();
        cancel();
      },
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }

  /** Throws CompactedError if `revision` can no longer be read. */
  private async probeRevision(prefix: string, revision: number): Promise<void> {
    try {
      await this.call(() =>
        this.client.kv.range({
          key: Buffer.from(prefix.length > 0 ? prefix : "\0"),
          count_only: true,
          revision: Math.max(revision, 1),
        }),
      );
    } catch (err) {
      if (err instanceof FutureRevisionError) return;
      throw err;
    }
  }

  private async watchFailure(after: number, err: unknown): Promise<Error> {
    if (this.closed) return new StoreUnavailableError("datastore closed");
    const mapped = mapError(err);
    if (mapped !== err && mapped instanceof Error) return mapped;
    // A canceled watch does not say why; a compacted start revision is the usual reason.
    try {
      await this.probeRevision("", after);
    } catch (probe) {
      if (probe instanceof CompactedError) return probe;
    }
    return mapped instanceof Error ? mapped : new StoreUnavailableError(String(mapped));
  }

  // ---- compaction ----------------------------------------------------------

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: true }));
    } catch (err) {
      // Compacting to an already compacted revision is a no-op, as in the SQLite store.
      if (err instanceof CompactedError) return;
      throw err;
    }
  }

  // ---- lifecycle -----------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    for (const queue of this.watches) queue.fail(new StoreUnavailableError("datastore closed"));
    this.watches.clear();
    this.client.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreUnavailableError("datastore closed");
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapError(err);
    }
  }
}

function mapError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes("required revision has been compacted")) {
    return new CompactedError(Number.NaN, undefined);
  }
  if (message.includes("required revision is a future revision")) {
    return new FutureRevisionError(Number.NaN, undefined);
  }
  if (/UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED|No connection established/i.test(message)) {
    return new StoreUnavailableError(`etcd unavailable: ${message}`, { cause: err });
  }
  return err;
}

function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString(),
    value: kv.value,
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
  };
}

function toEvent(type: unknown, kv: IKeyValue, prev: IKeyValue | undefined): WatchEvent {
  const revision = Number(kv.mod_revision);
  const prevKv = prev ? toKeyValue(prev) : undefined;
  if (type === "Delete" || type === 1) {
    if (!prevKv) {
      throw new StoreInvariantError(`etcd delete event for ${kv.key.toString()} without prev_kv`);
    }
    return { type: "delete", revision, key: kv.key.toString(), prevKv };
  }
  return {
    type: "put",
    revision,
    kv: toKeyValue(kv),
    prevKv: Number(kv.version) === 1 ? undefined : prevKv,
  };
}
