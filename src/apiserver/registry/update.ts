import type { KubeObject } from "../../api/strategy.js";
import type { FieldError } from "../../machinery/field-errors.js";
import { ConflictError, KeyNotFoundError } from "../../storage/errors.js";
import { badRequest, invalid, notFound } from "../status.js";
import { canonicalJson } from "./codec.js";
import type { RegistryContext, ResourceScope, WriteOptions } from "./context.js";
import { metaOf } from "./context.js";
import { specFinalizers } from "./delete.js";
import { checkFieldValidation } from "./field-validation.js";
import { guaranteedUpdate, type UpdateResult } from "./guaranteed-update.js";
import { keyFor, qualifiedResource, usesGeneration } from "./keys.js";
import { trackUpdate } from "./managed-fields.js";
import { checkTypeMeta } from "./type-meta.js";

/** Top-level fields that are not the desired state: changes to them do not bump generation. */
const NOT_SPEC = new Set(["metadata", "status", "apiVersion", "kind"]);

function specOf(obj: KubeObject): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!NOT_SPEC.has(k)) out[k] = v;
  return canonicalJson(out);
}

/** Metadata only the server sets: carried over from the stored object on every update. */
function keepSystemMetadata(next: KubeObject, old: KubeObject): void {
  const m = metaOf(next);
  const o = old.metadata ?? {};
  for (const f of [
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
  ] as const) {
    if (o[f] === undefined) delete m[f];
    else m[f] = o[f] as never;
  }
  if (o.namespace === undefined) delete m.namespace;
  else m.namespace = o.namespace;
}

/**
 * Turns the caller's desired object into the one to store, given the
 * stored one: for the main resource the status is kept; for the status
 * subresource only the status changes, for ephemeralcontainers only
 * spec.ephemeralContainers. Then defaults, admission and
 * validation run on the result.
 */
export async function prepareUpdate(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    subresource: string;
    desired: KubeObject;
    current: KubeObject;
    opts: WriteOptions;
    /** The desired object already carries its managedFields (server-side apply). */
    applied?: boolean;
  },
): Promise<KubeObject> {
  const { d, strategy } = scope;
  const { current, desired } = req;
  let next: KubeObject;
  if (req.subresource === "status") {
    next = structuredClone(current);
    if (desired.status === undefined) delete next.status;
    else next.status = desired.status;
  } else if (req.subresource === "finalize") {
    // Namespaces only: the namespace controller removes its finalizer here.
    next = structuredClone(current);
    const finalizers = (desired.spec as { finalizers?: string[] } | undefined)?.finalizers;
    next.spec = { ...((next.spec as object | undefined) ?? {}), finalizers: finalizers ?? [] };
  } else if (req.subresource === "ephemeralcontainers") {
    // Pods only: everything but spec.ephemeralContainers stays as stored.
    next = structuredClone(current);
    const spec: Record<string, unknown> = { ...((next.spec as object | undefined) ?? {}) };
    const added = (desired.spec as { ephemeralContainers?: unknown } | undefined)
      ?.ephemeralContainers;
    if (added === undefined) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = added;
    next.spec = spec;
    strategy.default?.(next);
  } else {
    next = desired;
    keepSystemMetadata(next, current);
    if (d.subresources.includes("status")) {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
    strategy.prepareForUpdate?.(next, current);
    strategy.default?.(next);
    if (usesGeneration(d) && specOf(next) !== specOf(current)) {
      metaOf(next).generation = ((current.metadata?.generation as number | undefined) ?? 0) + 1;
    }
  }
  if (req.applied) {
    // Apply computed ownership on the merged object; keep it through the subresource copy.
    metaOf(next).managedFields = desired.metadata?.managedFields as never;
  } else {
    trackUpdate(ctx, scope, { live: current, next, opts: req.opts, subresource: req.subresource });
  }
  const meta = metaOf(next);
  const attrs = {
    operation: "UPDATE" as const,
    resource: d,
    subresource: req.subresource,
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    object: next,
    oldObject: current,
    user: req.opts.user,
    dryRun: req.opts.dryRun,
  };
  await ctx.admission.admit(attrs);
  const errors = updateErrors(ctx, scope, { subresource: req.subresource, next, current });
  if (errors.length > 0) throw invalid({ group: d.group, kind: d.kind }, meta.name ?? "", errors);
  await ctx.admission.validate(attrs);
  return next;
}

/** The validation an update through this endpoint (main resource or subresource) runs. */
function updateErrors(
  ctx: RegistryContext,
  { strategy }: ResourceScope,
  req: { subresource: string; next: KubeObject; current: KubeObject },
): FieldError[] {
  const { next, current } = req;
  switch (req.subresource) {
    case "status":
    case "finalize":
      return strategy.validateStatusUpdate?.(next, current) ?? [];
    case "ephemeralcontainers":
      return [
        ...ctx.hooks.validateObjectMetaUpdate(next, current),
        ...(strategy.validateEphemeralContainersUpdate?.(next, current) ?? []),
      ];
    default:
      return [
        ...ctx.hooks.validateObjectMetaUpdate(next, current),
        ...(strategy.validate?.(next) ?? []),
        ...(strategy.validateUpdate?.(next, current) ?? []),
      ];
  }
}

/** PUT: replace an object (or its status) with optimistic concurrency. */
export async function updateObject(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string; subresource: string; body: unknown; opts: WriteOptions },
): Promise<UpdateResult> {
  const { d } = scope;
  const desired = checkTypeMeta(req.body, d);
  checkFieldValidation(ctx, d, desired, req.opts);
  const meta = metaOf(desired);
  if (meta.name !== undefined && meta.name !== "" && meta.name !== req.name) {
    throw badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${req.name})`,
    );
  }
  if (
    d.namespaced &&
    meta.namespace !== undefined &&
    meta.namespace !== "" &&
    meta.namespace !== req.namespace
  ) {
    throw badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  meta.name = req.name;
  const rv = meta.resourceVersion;
  return writeUpdate(ctx, scope, {
    namespace: req.namespace,
    name: req.name,
    opts: req.opts,
    ...(rv ? { preconditions: { resourceVersion: rv } } : {}),
    modify: (current) =>
      prepareUpdate(ctx, scope, {
        subresource: req.subresource,
        desired: structuredClone(desired),
        current,
        opts: req.opts,
      }),
  });
}

/**
 * The store write of every update path (PUT, PATCH, finalizer removal):
 * guaranteed update, then, if the object is being deleted and has no
 * finalizers left, its final deletion.
 */
export async function writeUpdate(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    namespace: string;
    name: string;
    opts: WriteOptions;
    preconditions?: { resourceVersion?: string };
    modify: (current: KubeObject) => Promise<KubeObject | undefined>;
  },
): Promise<UpdateResult> {
  const key = keyFor(scope.d, req.namespace, req.name);
  const result = await guaranteedUpdate({
    store: ctx.store,
    key,
    resource: qualifiedResource(scope.d),
    name: req.name,
    dryRun: req.opts.dryRun,
    modify: req.modify,
    ...(req.preconditions ? { preconditions: req.preconditions } : {}),
  });
  const m = result.object.metadata ?? {};
  const finalized =
    result.changed &&
    m.deletionTimestamp !== undefined &&
    (m.finalizers ?? []).length === 0 &&
    specFinalizers(scope.d, result.object).length === 0 &&
    (m.deletionGracePeriodSeconds ?? 0) === 0;
  if (finalized && !req.opts.dryRun) {
    try {
      await ctx.store.delete(key, { expectedModRevision: Number(m.resourceVersion) });
      await ctx.onDeleted?.(scope.d, result.object);
    } catch (err) {
      if (err instanceof KeyNotFoundError) throw notFound(qualifiedResource(scope.d), req.name);
      // Someone wrote it since: their write sees the same state and finishes the deletion.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return result;
}
