import type Database from "better-sqlite3";
import {
  compactionTarget,
  DEFAULT_RETENTION,
  pruneSamples,
  type RetentionPolicy,
  type RevisionSample,
} from "../compaction.js";
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreError,
  StoreInvariantError,
  StoreUnavailableError,
  ValueTooLargeError,
} from "../errors.js";
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
import { openDatabase } from "./schema.js";
import { WatcherSet } from "./watchers.js";

export interface SqliteStoreOptions {
  /** The database file; created when missing. */
  readonly path: string;
  /** Largest value accepted, in bytes (default 1.5 MiB). */
  readonly maxValueBytes?: number;
  /** How much history automatic compaction keeps (default 5 minutes / 1,000 revisions). */
  readonly retention?: RetentionPolicy;
  /** How often automatic compaction runs, in ms (default 30 s; 0 turns it off). */
  readonly compactionIntervalMs?: number;
  /** fsync every commit, as etcd does (default true). */
  readonly durable?: boolean;
}

interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  version: number;
  value: Uint8Array;
}

interface EventRow extends Row {
  p_id: number | null;
  p_create_revision: number | null;
  p_version: number | null;
  p_value: Uint8Array | null;
}

type WriteOp =
  | { readonly kind: "create"; readonly key: string; readonly value: Uint8Array }
  | {
      readonly kind: "update";
      readonly key: string;
      readonly value: Uint8Array;
      readonly expected: number;
    }
  | { readonly kind: "delete"; readonly key: string; readonly expected: number | undefined };

interface Pending {
  readonly op: WriteOp;
  readonly resolve: (kv: KeyValue) => void;
  readonly reject: (err: unknown) => void;
}

type Applied = { event: WatchEvent; result: KeyValue } | { error: StoreError };

const COLUMNS = "id, name, created, deleted, create_revision, prev_revision, version, value";
/** Compaction deletes history in chunks of this many revisions, one transaction each. */
const COMPACTION_CHUNK = 5000;

/**
 * The embedded store: a kine-style revision log in one SQLite file (WAL
 * mode). Writes from concurrent callers are group-committed: every write
 * queued during one turn of the event loop goes into one transaction, each
 * checked on its own, so one fsync covers the batch. Committed changes are
 * published to watchers in process, in revision order.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly maxValueBytes: number;
  private readonly retention: RetentionPolicy;
  private readonly watchers = new WatcherSet(() => this.revision);
  private revision: number;
  private compactRevision: number;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private compacting: Promise<void> | undefined;
  private samples: RevisionSample[] = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stmt: ReturnType<SqliteStore["prepare"]>;

  constructor(opts: SqliteStoreOptions) {
    this.db = openDatabase({ path: opts.path, durable: opts.durable ?? true });
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.retention = opts.retention ?? DEFAULT_RETENTION;
    this.stmt = this.prepare();
    const seq = this.stmt.sequence.get() as { seq: number } | undefined;
    const maxId = (this.stmt.maxId.get() as { id: number | null }).id ?? 0;
    this.revision = Math.max(seq?.seq ?? 0, maxId);
    this.compactRevision = (this.stmt.getCompact.get() as { value: number }).value;
    const interval = opts.compactionIntervalMs ?? 30_000;
    if (interval > 0) {
      this.samples.push({ atMs: Date.now(), revision: this.revision });
      this.timer = setInterval(() => this.autoCompact(), interval);
      this.timer.unref();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      sequence: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kine'"),
      maxId: db.prepare("SELECT max(id) AS id FROM kine"),
      getCompact: db.prepare("SELECT value FROM meta WHERE key = 'compact_revision'"),
      setCompact: db.prepare("UPDATE meta SET value = ? WHERE key = 'compact_revision'"),
      latest: db.prepare(`SELECT ${COLUMNS} FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1`),
      latestAt: db.prepare(
        `SELECT ${COLUMNS} FROM kine WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO kine (${COLUMNS}) VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @version, @value)`,
      ),
      // Walks the (name, id) index in name order and keeps each name's newest
      // row at the revision, so LIMIT stops the scan: a page costs its own
      // size, not the size of the rest of the range.
      listBounded: db.prepare(
        `SELECT ${COLUMNS} FROM kine k INDEXED BY kine_name_id
         WHERE k.name >= @start AND k.name < @end AND k.id <= @rev AND k.deleted = 0
           AND k.id = (SELECT max(id) FROM kine k2 WHERE k2.name = k.name AND k2.id <= @rev)
         ORDER BY k.name LIMIT @limit`,
      ),
      listUnbounded: db.prepare(
        `SELECT ${COLUMNS} FROM kine k INDEXED BY kine_name_id
         WHERE k.name >= @start AND k.id <= @rev AND k.deleted = 0
           AND k.id = (SELECT max(id) FROM kine k2 WHERE k2.name = k.name AND k2.id <= @rev)
         ORDER BY k.name LIMIT @limit`,
      ),
      eventsBounded: db.prepare(
        `SELECT c.id, c.name, c.created, c.deleted, c.create_revision, c.prev_revision, c.version, c.value,
                p.id AS p_id, p.create_revision AS p_create_revision, p.version AS p_version, p.value AS p_value
         FROM kine c LEFT JOIN kine p ON p.id = c.prev_revision
         WHERE c.id > ? AND c.name >= ? AND c.name < ? ORDER BY c.id`,
      ),
      eventsUnbounded: db.prepare(
        `SELECT c.id, c.name, c.created, c.deleted, c.create_revision, c.prev_revision, c.version, c.value,
                p.id AS p_id, p.create_revision AS p_create_revision, p.version AS p_version, p.value AS p_value
         FROM kine c LEFT JOIN kine p ON p.id = c.prev_revision
         WHERE c.id > ? AND c.name >= ? ORDER BY c.id`,
      ),
      compactSuperseded: db.prepare(
        "DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ? AND id <= ? AND prev_revision > 0)",
      ),
      compactTombstones: db.prepare("DELETE FROM kine WHERE id > ? AND id <= ? AND deleted = 1"),
    };
  }

  // ---- reads -------------------------------------------------------------

  get(key: string, opts: GetOptions = {}): Promise<KeyValue | undefined> {
    return this.run(() => {
      checkKey(key);
      const row =
        opts.atRevision === undefined
          ? (this.stmt.latest.get(key) as Row | undefined)
          : (this.stmt.latestAt.get(key, this.readableRevision(opts.atRevision)) as
              | Row
              | undefined);
      return row && row.deleted === 0 ? toKeyValue(row) : undefined;
    });
  }

  list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    return this.run(() => {
      const revision =
        opts.atRevision === undefined || opts.atRevision === 0
          ? this.revision
          : this.readableRevision(opts.atRevision);
      let start = prefix;
      if (opts.continueFrom !== undefined) {
        checkContinueFrom(prefix, opts.continueFrom);
        start = opts.continueFrom;
      }
      const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined;
      const fetch = limit === undefined ? -1 : limit + 1;
      const end = prefixEnd(prefix);
      const rows = (
        end === undefined
          ? this.stmt.listUnbounded.all({ start, rev: revision, limit: fetch })
          : this.stmt.listBounded.all({ start, end, rev: revision, limit: fetch })
      ) as Row[];
      if (limit !== undefined && rows.length > limit) {
        rows.length = limit;
        const last = rows[limit - 1] as Row;
        return { items: rows.map(toKeyValue), revision, continueFrom: keyAfter(last.name) };
      }
      return { items: rows.map(toKeyValue), revision };
    });
  }

  currentRevision(): Promise<number> {
    return this.run(() => this.revision);
  }

  private readableRevision(revision: number): number {
    if (revision < this.compactRevision) throw new CompactedError(revision, this.compactRevision);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    return revision;
  }

  // ---- writes ------------------------------------------------------------

  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.enqueue({ kind: "create", key, value });
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    return this.enqueue({ kind: "update", key, value, expected: expectedModRevision });
  }

  delete(key: string, opts: DeleteOptions = {}): Promise<KeyValue> {
    return this.enqueue({ kind: "delete", key, expected: opts.expectedModRevision });
  }

  private enqueue(op: WriteOp): Promise<KeyValue> {
    try {
      this.checkOpen();
      checkKey(op.key);
      if (op.kind !== "delete" && op.value.byteLength > this.maxValueBytes) {
        throw new ValueTooLargeError(op.key, op.value.byteLength, this.maxValueBytes);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<KeyValue>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then answers and publishes. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const startRevision = this.revision;
    let applied: Applied[];
    try {
      applied = this.db
        .transaction(() =>
          batch.map((p): Applied => {
            try {
              return this.apply(p.op);
            } catch (err) {
              if (err instanceof StoreError) return { error: err };
              throw err;
            }
          }),
        )
        .immediate();
    } catch (err) {
      // Nothing of the batch was committed.
      this.revision = startRevision;
      const failure = new StoreUnavailableError(`datastore write failed: ${String(err)}`, {
        cause: err,
      });
      for (const p of batch) p.reject(failure);
      return;
    }
    const events: WatchEvent[] = [];
    for (const a of applied) if ("event" in a) events.push(a.event);
    this.watchers.publish(events);
    applied.forEach((a, i) => {
      const p = batch[i] as Pending;
      if ("error" in a) p.reject(a.error);
      else p.resolve(a.result);
    });
  }

  /** Applies one write inside the open transaction. */
  private apply(op: WriteOp): Applied {
    const latest = this.stmt.latest.get(op.key) as Row | undefined;
    const live = latest !== undefined && latest.deleted === 0 ? latest : undefined;
    const id = this.revision + 1;
    switch (op.kind) {
      case "create": {
        if (live) return { error: new KeyExistsError(op.key) };
        const row: Row = {
          id,
          name: op.key,
          created: 1,
          deleted: 0,
          create_revision: id,
          prev_revision: latest?.id ?? 0,
          version: 1,
          value: op.value,
        };
        this.insert(row);
        const kv = toKeyValue(row);
        return { result: kv, event: { type: "put", revision: id, kv, prevKv: undefined } };
      }
      case "update": {
        if (!live) return { error: new KeyNotFoundError(op.key) };
        if (live.id !== op.expected) {
          return { error: new ConflictError(op.key, op.expected, live.id) };
        }
        const row: Row = {
          id,
          name: op.key,
          created: 0,
          deleted: 0,
          create_revision: live.create_revision,
          prev_revision: live.id,
          version: live.version + 1,
          value: op.value,
        };
        this.insert(row);
        const kv = toKeyValue(row);
        return {
          result: kv,
          event: { type: "put", revision: id, kv, prevKv: toKeyValue(live) },
        };
      }
      case "delete": {
        if (!live) return { error: new KeyNotFoundError(op.key) };
        if (op.expected !== undefined && live.id !== op.expected) {
          return { error: new ConflictError(op.key, op.expected, live.id) };
        }
        this.insert({
          id,
          name: op.key,
          created: 0,
          deleted: 1,
          create_revision: live.create_revision,
          prev_revision: live.id,
          version: 0,
          value: EMPTY,
        });
        const prevKv = toKeyValue(live);
        return {
          result: prevKv,
          event: { type: "delete", revision: id, key: op.key, prevKv },
        };
      }
    }
  }

  private insert(row: Row): void {
    this.stmt.insert.run(row);
    this.revision = row.id;
  }

  // ---- watch -------------------------------------------------------------

  watch(prefix: string, opts: WatchOptions = {}): Promise<Watch> {
    return this.run(() => {
      const after = opts.afterRevision ?? this.revision;
      if (after < this.compactRevision) throw new CompactedError(after, this.compactRevision);
      // Reading the backlog and registering happen in one synchronous step:
      // no commit can fall between them, so nothing is missed or repeated.
      const backlog: WatchEvent[] = [];
      if (after < this.revision) {
        const end = prefixEnd(prefix);
        const rows = (
          end === undefined
            ? this.stmt.eventsUnbounded.all(after, prefix)
            : this.stmt.eventsBounded.all(after, prefix, end)
        ) as EventRow[];
        for (const row of rows) backlog.push(toEvent(row));
      }
      return this.watchers.add(prefix, backlog);
    });
  }

  // ---- compaction ----------------------------------------------------------

  compact(revision: number): Promise<void> {
    try {
      this.checkOpen();
      if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    } catch (err) {
      return Promise.reject(err);
    }
    const previous = this.compacting ?? Promise.resolve();
    const next = previous.then(() => this.compactTo(revision));
    // The chain itself must never reject unhandled: callers get `next`.
    const settled = next.catch(() => {});
    this.compacting = settled.finally(() => {
      if (this.compacting === settled) this.compacting = undefined;
    });
    return next;
  }

  /** Deletes superseded rows and tombstones chunk by chunk, yielding between chunks. */
  private async compactTo(target: number): Promise<void> {
    while (this.compactRevision < target && !this.closed) {
      const from = this.compactRevision;
      const to = Math.min(target, from + COMPACTION_CHUNK);
      this.db
        .transaction(() => {
          this.stmt.compactSuperseded.run(from, to);
          this.stmt.compactTombstones.run(from, to);
          this.stmt.setCompact.run(to);
        })
        .immediate();
      this.compactRevision = to;
      if (to < target) await new Promise((r) => setImmediate(r));
    }
  }

  private autoCompact(): void {
    if (this.closed) return;
    const nowMs = Date.now();
    this.samples.push({ atMs: nowMs, revision: this.revision });
    const target = compactionTarget({
      samples: this.samples,
      nowMs,
      currentRevision: this.revision,
      compacted: this.compactRevision,
      policy: this.retention,
    });
    this.samples = pruneSamples(this.samples, nowMs, this.retention);
    if (target !== undefined) {
      this.compact(target).catch((err: unknown) => {
        process.emitWarning(`datastore compaction to ${target} failed: ${String(err)}`);
      });
    }
  }

  // ---- lifecycle -----------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    // Let queued writes commit before the file closes.
    while (this.pending.length > 0 || this.flushScheduled) {
      await new Promise((r) => setImmediate(r));
    }
    this.closed = true;
    await this.compacting?.catch(() => {});
    this.watchers.failAll(new StoreUnavailableError("datastore closed"));
    this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreUnavailableError("datastore closed");
  }

  private run<T>(fn: () => T): Promise<T> {
    try {
      this.checkOpen();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

const EMPTY = new Uint8Array(0);

function toKeyValue(row: Row): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.create_revision,
    modRevision: row.id,
    version: row.version,
  };
}

function toEvent(row: EventRow): WatchEvent {
  const prevKv =
    row.created === 1 || row.p_id === null
      ? undefined
      : {
          key: row.name,
          value: row.p_value ?? EMPTY,
          createRevision: row.p_create_revision ?? 0,
          modRevision: row.p_id,
          version: row.p_version ?? 0,
        };
  if (row.deleted === 1) {
    if (!prevKv) {
      throw new StoreInvariantError(`delete of ${row.name} at ${row.id} has no previous row`);
    }
    return { type: "delete", revision: row.id, key: row.name, prevKv };
  }
  if (row.created === 0 && !prevKv) {
    throw new StoreInvariantError(`update of ${row.name} at ${row.id} has no previous row`);
  }
  return { type: "put", revision: row.id, kv: toKeyValue(row), prevKv };
}
