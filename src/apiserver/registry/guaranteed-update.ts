import type { KubeObject } from "../../api/strategy.js";
import { ConflictError, KeyNotFoundError } from "../../storage/errors.js";
import type { Store } from "../../storage/types.js";
import { conflict, notFound, OBJECT_MODIFIED, type QualifiedResource } from "../status.js";
import { decodeObject, encodeObject, sameStoredForm, withResourceVersion } from "./codec.js";

export interface Preconditions {
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface UpdateResult {
  readonly object: KubeObject;
  /** False when the update changed nothing (nothing was written). */
  readonly changed: boolean;
  readonly previous: KubeObject;
}

const MAX_ATTEMPTS = 16;

/**
 * Read, modify, compare-and-swap, retry: upstream's GuaranteedUpdate. The
 * modify function receives a private copy of the current object. A caller
 * precondition on resourceVersion turns a lost race into 409 Conflict;
 * without one the update is retried on the fresh object.
 */
export async function guaranteedUpdate(opts: {
  store: Store;
  key: string;
  resource: QualifiedResource;
  name: string;
  preconditions?: Preconditions;
  dryRun: boolean;
  modify: (current: KubeObject) => Promise<KubeObject | undefined> | KubeObject | undefined;
}): Promise<UpdateResult> {
  const { store, key, resource, name } = opts;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const kv = await store.get(key);
    if (!kv) throw notFound(resource, name);
    const current = decodeObject(kv);
    checkPreconditions(resource, name, current, opts.preconditions);
    const next = await opts.modify(structuredClone(current));
    if (next === undefined || sameStoredForm(next, current)) {
      return { object: current, changed: false, previous: current };
    }
    if (opts.dryRun) {
      return {
        object: withResourceVersion(next, kv.modRevision),
        changed: true,
        previous: current,
      };
    }
    try {
      const written = await store.update(key, encodeObject(next), kv.modRevision);
      return {
        object: withResourceVersion(next, written.modRevision),
        changed: true,
        previous: current,
      };
    } catch (err) {
      if (err instanceof KeyNotFoundError) throw notFound(resource, name);
      if (!(err instanceof ConflictError)) throw err;
      if (opts.preconditions?.resourceVersion) throw conflict(resource, name, OBJECT_MODIFIED);
    }
  }
  throw conflict(resource, name, "too many concurrent updates, try again");
}

export function checkPreconditions(
  resource: QualifiedResource,
  name: string,
  current: KubeObject,
  pre: Preconditions | undefined,
): void {
  if (!pre) return;
  const meta = current.metadata ?? {};
  if (pre.uid && pre.uid !== meta.uid) {
    throw conflict(
      resource,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ""}`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw conflict(resource, name, OBJECT_MODIFIED);
  }
}
