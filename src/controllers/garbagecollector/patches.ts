/**
 * The metadata edits the garbage collector makes, as JSON patches (RFC
 * 6902) that work on every resource, custom ones included. Each patch
 * first tests the UID and the list it replaces, so it applies only to the
 * state it was computed from; a failed test (422) means "look again".
 * Pure.
 */
import type { OwnerReference } from "./identity.js";

export type JsonPatchOp =
  | { readonly op: "test" | "replace" | "add"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/** The metadata a patch is computed from (as the live object had it). */
export interface LiveMeta {
  readonly uid: string;
  readonly ownerReferences?: readonly OwnerReference[] | undefined;
  readonly finalizers?: readonly string[] | undefined;
}

function listPatch(
  uid: string,
  field: "ownerReferences" | "finalizers",
  opts: { current: readonly unknown[] | undefined; next: readonly unknown[] },
): JsonPatchOp[] {
  const path = `/metadata/${field}`;
  const ops: JsonPatchOp[] = [{ op: "test", path: "/metadata/uid", value: uid }];
  if (opts.current === undefined) {
    if (opts.next.length > 0) ops.push({ op: "add", path, value: opts.next });
    return ops;
  }
  ops.push({ op: "test", path, value: opts.current });
  ops.push(
    opts.next.length > 0 ? { op: "replace", path, value: opts.next } : { op: "remove", path },
  );
  return ops;
}

/** Removes the references to these owner UIDs; undefined when none is there. */
export function removeOwnerRefsPatch(
  live: LiveMeta,
  uids: readonly string[],
): JsonPatchOp[] | undefined {
  const current = live.ownerReferences ?? [];
  const next = current.filter((r) => !uids.includes(r.uid));
  if (next.length === current.length) return undefined;
  return listPatch(live.uid, "ownerReferences", { current: live.ownerReferences, next });
}

/** Sets blockOwnerDeletion=false on every blocking reference; undefined when none blocks. */
export function unblockOwnerRefsPatch(live: LiveMeta): JsonPatchOp[] | undefined {
  const current = live.ownerReferences ?? [];
  if (!current.some((r) => r.blockOwnerDeletion === true)) return undefined;
  const next = current.map((r) =>
    r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r,
  );
  return listPatch(live.uid, "ownerReferences", { current: live.ownerReferences, next });
}

/** Removes one finalizer; undefined when it is not there. */
export function removeFinalizerPatch(live: LiveMeta, finalizer: string): JsonPatchOp[] | undefined {
  const current = live.finalizers ?? [];
  if (!current.includes(finalizer)) return undefined;
  const next = current.filter((f) => f !== finalizer);
  return listPatch(live.uid, "finalizers", { current: live.finalizers, next });
}
