import type { KubeObjectLike } from "../../client/rest/resource.js";

const version = (obj: KubeObjectLike | undefined): bigint => {
  try {
    return BigInt(obj?.metadata?.resourceVersion ?? "0");
  } catch {
    return 0n;
  }
};

/**
 * The objects this controller last wrote, kept until the informer catches
 * up (upstream's binder does the same with its own cache): a sync that
 * runs right after a write sees the write, instead of acting again on the
 * state it just changed. It compares resourceVersions as numbers, which
 * k8ts's store (and etcd) guarantee; a stale entry only costs a conflict.
 */
export class Fresher<T extends KubeObjectLike> {
  private readonly written = new Map<string, T>();

  constructor(private readonly keyOf: (obj: T) => string) {}

  /** Remember an object the API server returned from a write. */
  wrote(obj: T): T {
    this.written.set(this.keyOf(obj), obj);
    return obj;
  }

  /** The newer of the cached object and the one written, by resourceVersion. */
  pick(cached: T | undefined, key: string): T | undefined {
    const mine = this.written.get(key);
    if (!mine) return cached;
    // Gone from the cache means deleted (this controller never creates).
    if (!cached || version(cached) >= version(mine)) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }

  forget(key: string): void {
    this.written.delete(key);
  }
}
