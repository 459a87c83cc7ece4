import type { KubeObject } from "../../api/strategy.js";
import { ConflictError, KeyNotFoundError } from "../../storage/errors.js";
import type { Store } from "../../storage/types.js";
import { badRequest, conflict, notFound } from "../status.js";
import { decodeObject, encodeObject, sameStoredForm, withResourceVersion } from "./codec.js";
import {
  metaOf,
  type RegistryContext,
  type ResourceScope,
  timestamp,
  type UserInfo,
} from "./context.js";
import { keyFor, qualifiedResource, usesGeneration } from "./keys.js";

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** The object as deleted, or as it now is while deletion is pending. */
  readonly object: KubeObject;
  /** False while finalizers or a grace period keep the object (HTTP 202). */
  readonly deleted: boolean;
}

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

/** The grace period a delete gets: pods are graceful, everything else is immediate. */
function gracePeriod(scope: ResourceScope, obj: KubeObject, opts: DeleteOptions): number {
  if (!(scope.d.group === "" && scope.d.plural === "pods")) return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  // An unscheduled pod or one that already finished has nothing to stop.
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  const requested = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, requested);
}

function finalizersToAdd(opts: DeleteOptions): string[] {
  if (opts.propagationPolicy === "Foreground") return [FOREGROUND_FINALIZER];
  if (
    opts.propagationPolicy === "Orphan" ||
    (opts.propagationPolicy === undefined && opts.orphanDependents === true)
  ) {
    return [ORPHAN_FINALIZER];
  }
  return [];
}

/**
 * DELETE one object. Without finalizers or a grace period it is removed at
 * once. Otherwise it gets a deletionTimestamp (and the propagation
 * finalizer the garbage collector acts on) and stays until its finalizers
 * are removed and, for pods, the kubelet confirms with grace period 0.
 */
export async function deleteObject(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string; options: DeleteOptions; dryRun: boolean; user: UserInfo },
): Promise<DeleteResult> {
  const { d } = scope;
  const key = keyFor(d, req.namespace, req.name);
  const resource = qualifiedResource(d);
  const opts = req.options;
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) {
    throw badRequest("gracePeriodSeconds must be a non-negative number");
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    throw badRequest("orphanDependents and propagationPolicy cannot both be set");
  }
  for (let attempt = 0; attempt < 16; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(resource, req.name);
    const current = decodeObject(kv);
    const meta = metaOf(current);
    const pre = opts.preconditions;
    // Upstream's rest.BeforeDelete: the Conflict names the kind, not the resource.
    const byKind = { group: d.group, resource: d.kind };
    if (pre?.uid && pre.uid !== meta.uid) {
      throw conflict(
        byKind,
        req.name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ""}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        byKind,
        req.name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ""}). The object might have been modified`,
      );
    }
    await ctx.admission.validate({
      operation: "DELETE",
      resource: d,
      subresource: "",
      namespace: req.namespace,
      name: req.name,
      object: undefined,
      oldObject: current,
      user: req.user,
      dryRun: req.dryRun,
    });

    const grace = gracePeriod(scope, current, opts);
    const finalizers = [...(meta.finalizers ?? [])];
    for (const f of finalizersToAdd(opts)) if (!finalizers.includes(f)) finalizers.push(f);
    if (opts.propagationPolicy === "Background") {
      // Background replaces an earlier orphan/foreground choice.
      for (const f of [ORPHAN_FINALIZER, FOREGROUND_FINALIZER]) {
        const i = finalizers.indexOf(f);
        if (i >= 0 && meta.deletionTimestamp === undefined) finalizers.splice(i, 1);
      }
    }

    if (finalizers.length === 0 && specFinalizers(d, current).length === 0 && grace === 0) {
      if (req.dryRun) return { object: current, deleted: true };
      try {
        await ctx.store.delete(key, { expectedModRevision: kv.modRevision });
        await ctx.onDeleted?.(d, current);
        return { object: current, deleted: true };
      } catch (err) {
        if (err instanceof KeyNotFoundError) throw notFound(resource, req.name);
        if (err instanceof ConflictError) continue;
        throw err;
      }
    }

    // Deletion pending: mark it (once), shorten a pending grace period, keep the object.
    const next = structuredClone(current);
    const nm = metaOf(next);
    const now = ctx.now();
    if (nm.deletionTimestamp === undefined) {
      nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      nm.deletionGracePeriodSeconds = grace;
    } else if (grace < (nm.deletionGracePeriodSeconds ?? 0)) {
      nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      nm.deletionGracePeriodSeconds = grace;
    }
    if (finalizers.length > 0) nm.finalizers = finalizers;
    if (isNamespaces(d))
      next.status = { ...((next.status as object | undefined) ?? {}), phase: "Terminating" };
    // Marking an object for deletion is a change of desired state (upstream's markAsDeleting).
    if (current.metadata?.deletionTimestamp === undefined && usesGeneration(d)) {
      nm.generation = ((current.metadata?.generation as number | undefined) ?? 0) + 1;
    }
    // A repeated delete that changes nothing writes nothing.
    if (sameStoredForm(next, current)) return { object: current, deleted: false };
    if (req.dryRun) return { object: next, deleted: false };
    const written = await tryUpdate(ctx.store, key, next, kv.modRevision);
    if (written === undefined) continue;
    return { object: withResourceVersion(next, written), deleted: false };
  }
  throw conflict(resource, req.name, "too many concurrent updates, try again");
}

async function tryUpdate(
  store: Store,
  key: string,
  obj: KubeObject,
  rev: number,
): Promise<number | undefined> {
  try {
    return (await store.update(key, encodeObject(obj), rev)).modRevision;
  } catch (err) {
    if (err instanceof ConflictError) return undefined;
    throw err;
  }
}

const isNamespaces = (d: { group: string; plural: string }) =>
  d.group === "" && d.plural === "namespaces";

/**
 * A Namespace's spec.finalizers (`kubernetes`) hold it in Terminating
 * until the namespace controller has emptied it and calls /finalize.
 */
export function specFinalizers(d: { group: string; plural: string }, obj: KubeObject): string[] {
  if (!isNamespaces(d)) return [];
  return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter(Boolean);
}
