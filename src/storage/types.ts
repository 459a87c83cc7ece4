/**
 * The cluster store contract: an etcd-v3-shaped MVCC key-value store.
 *
 * Every change gets the next global revision. A key remembers the revision
 * that created it (createRevision), the one that last changed it
 * (modRevision) and how many times it changed since it was created
 * (version). Writes are compare-and-swap on modRevision, which is how the API
 * server implements resourceVersion and optimistic concurrency.
 *
 * Two backends implement it (sqlite/ and etcd/) and pass the same conformance
 * suite (test/storage/conformance.ts).
 */

export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  readonly createRevision: number;
  readonly modRevision: number;
  /** Number of writes since creation: 1 after create, 2 after the first update. */
  readonly version: number;
}

export interface PutEvent {
  readonly type: "put";
  /** The revision of this change (= kv.modRevision). */
  readonly revision: number;
  readonly kv: KeyValue;
  /** The value before this change; undefined when the change created the key. */
  readonly prevKv: KeyValue | undefined;
}

export interface DeleteEvent {
  readonly type: "delete";
  /** The revision of the deletion. */
  readonly revision: number;
  readonly key: string;
  /** The value that was deleted. */
  readonly prevKv: KeyValue;
}

export type WatchEvent = PutEvent | DeleteEvent;

export interface GetOptions {
  /** Read the value as of this revision (default: the current one). */
  readonly atRevision?: number;
}

export interface ListOptions {
  /** At most this many items (default: no limit). */
  readonly limit?: number;
  /**
   * Start at this key (inclusive). Pass back `ListResult.continueFrom`
   * together with `atRevision: ListResult.revision` to read the next page
   * of the same snapshot. It must lie inside the listed prefix.
   */
  readonly continueFrom?: string;
  /** Read the snapshot at this revision (default: the current one). */
  readonly atRevision?: number;
}

export interface ListResult {
  /** Live keys under the prefix, in key order. */
  readonly items: KeyValue[];
  /** The revision of the snapshot that was read. */
  readonly revision: number;
  /** Present when more items remain: where the next page starts. */
  readonly continueFrom?: string;
}

export interface DeleteOptions {
  /** Delete only if the key's modRevision is this one (compare-and-swap). */
  readonly expectedModRevision?: number;
}

export interface WatchOptions {
  /**
   * Deliver every change with a revision greater than this one, in revision
   * order, then every later change as it happens (default: the current
   * revision, i.e. only future changes).
   */
  readonly afterRevision?: number;
}

/**
 * A stream of changes. Iterate it with `for await`; the iteration throws the
 * error that ended the watch (CompactedError when the history it needed is
 * gone) and ends normally after close().
 */
export interface Watch extends AsyncIterable<WatchEvent> {
  close(): void;
  /**
   * A revision this watch is known to be caught up to: every change under
   * its prefix up to it has already been handed out. Undefined when the
   * backend cannot tell (then only delivered events say how far it is).
   * Bookmarks use it so quiet watches still advance.
   */
  progress?(): number | undefined;
}

export interface Store {
  get(key: string, opts?: GetOptions): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Creates the key; KeyExistsError when it exists already. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /**
   * Replaces the value if the key's modRevision is `expectedModRevision`;
   * ConflictError (carrying the current value) otherwise, KeyNotFoundError
   * when the key does not exist.
   */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue>;
  /** Deletes the key and returns the value it had; KeyNotFoundError or ConflictError. */
  delete(key: string, opts?: DeleteOptions): Promise<KeyValue>;
  watch(prefix: string, opts?: WatchOptions): Promise<Watch>;
  /**
   * Discards history before `revision`: reads at a revision >= it and watches
   * after a revision >= it keep working, older ones fail with CompactedError.
   */
  compact(revision: number): Promise<void>;
  currentRevision(): Promise<number>;
  close(): Promise<void>;
}

/** Largest value accepted by default (the same limit etcd ships with). */
export const DEFAULT_MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
