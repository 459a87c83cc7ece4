import type { KubeObjectLike } from "../rest/resource.js";

/** `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function objectKey(obj: KubeObjectLike): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ""}` : (m.name ?? "");
}

/** Splits a key back into namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return i < 0
    ? { namespace: "", name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export type IndexFunc<T> = (obj: T) => readonly string[];

export const byNamespace: IndexFunc<KubeObjectLike> = (obj) => [obj.metadata?.namespace ?? ""];

/** Pods by the node they are bound to (spec.nodeName); unscheduled pods are in no bucket. */
export const byNodeName: IndexFunc<KubeObjectLike & { spec?: { nodeName?: string } }> = (obj) =>
  obj.spec?.nodeName ? [obj.spec.nodeName] : [];

/** Objects by the UID of every owner in metadata.ownerReferences. */
export const byOwnerUid: IndexFunc<{
  metadata?: { ownerReferences?: ReadonlyArray<{ uid?: string }> };
}> = (obj) => [
  ...new Set((obj.metadata?.ownerReferences ?? []).flatMap((r) => (r.uid ? [r.uid] : []))),
];

/**
 * The informer's local cache: objects by key, plus secondary indexes
 * (by namespace, pods by node, objects by owner UID, ...) kept in step on
 * every change. Callers must treat returned objects as read-only.
 */
export class Indexer<T extends KubeObjectLike> {
  private readonly items = new Map<string, T>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Objects whose index `name` contains `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no index named ${name}`);
    const keys = index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.items.get(k)).filter((o): o is T => o !== undefined);
  }

  /**
   * Stores `obj` under its key; returns what was there before. The index
   * values are computed first, so an index function that throws leaves the
   * cache untouched (the error goes to the caller).
   */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const values = this.indexValues(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, values);
    return old;
  }

  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private indexValues(obj: T): Map<string, readonly string[]> {
    const out = new Map<string, readonly string[]>();
    for (const [name, fn] of Object.entries(this.indexers)) out.set(name, fn(obj));
    return out;
  }

  private index(key: string, values: Map<string, readonly string[]>): void {
    for (const [name, list] of values) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const value of list) {
        let keys = index.get(value);
        if (!keys) {
          keys = new Set();
          index.set(value, keys);
        }
        keys.add(key);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
