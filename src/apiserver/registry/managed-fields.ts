import { apiVersionOf } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import {
  ApplyConflictError,
  ApplyError,
  applyConfiguration,
  type FieldSet,
  fieldPaths,
  updateManagedFields,
} from "../../machinery/apply/index.js";
import { ApiError } from "../status.js";
import { metaOf, type RegistryContext, type ResourceScope, type WriteOptions } from "./context.js";

/** Fields a write through this endpoint cannot change, so nobody owns them by writing there. */
function ignoredFor(scope: ResourceScope, subresource: string): FieldSet | undefined {
  if (
    (subresource === "" || subresource === "ephemeralcontainers") &&
    scope.d.subresources.includes("status")
  )
    return fieldPaths([["status"]]);
  if (subresource === "status") return fieldPaths([["spec"]]);
  return undefined;
}

function gvk(scope: ResourceScope) {
  return { group: scope.d.group, version: scope.d.version, kind: scope.d.kind };
}

/** Records in next.metadata.managedFields what this (non-apply) write changed, and by whom. */
export function trackUpdate(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { live: KubeObject | undefined; next: KubeObject; opts: WriteOptions; subresource: string },
): void {
  const ignored = ignoredFor(scope, req.subresource);
  const entries = updateManagedFields({
    live: req.live as Record<string, unknown> | undefined,
    next: req.next as Record<string, unknown>,
    manager: req.opts.fieldManager,
    operation: "Update",
    apiVersion: apiVersionOf(scope.d),
    subresource: req.subresource,
    now: ctx.now(),
    meta: ctx.hooks.applyMetaFor(gvk(scope)),
    ...(ignored ? { ignored } : {}),
  });
  const meta = metaOf(req.next);
  if (entries === undefined) delete meta.managedFields;
  else meta.managedFields = entries as unknown as Array<Record<string, unknown>>;
}

/**
 * Server-side apply of `applied` onto `live` (undefined: the object does not
 * exist yet): the merged object with its managedFields, or 409 with
 * upstream's conflict message when another manager owns a field the
 * configuration changes (unless `force`).
 */
export function applyTo(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    live: KubeObject | undefined;
    applied: KubeObject;
    opts: WriteOptions;
    subresource: string;
    force: boolean;
  },
): KubeObject {
  const ignored = ignoredFor(scope, req.subresource);
  try {
    const result = applyConfiguration({
      live: req.live as Record<string, unknown> | undefined,
      applied: req.applied as Record<string, unknown>,
      manager: req.opts.fieldManager,
      force: req.force,
      apiVersion: apiVersionOf(scope.d),
      subresource: req.subresource,
      now: ctx.now(),
      meta: ctx.hooks.applyMetaFor(gvk(scope)),
      ...(ignored ? { ignored } : {}),
    });
    return result.object as KubeObject;
  } catch (err) {
    throw applyError(err);
  }
}

export function applyError(err: unknown): unknown {
  if (err instanceof ApplyConflictError)
    return new ApiError(err.status as ApiError["status"], { cause: err });
  if (err instanceof ApplyError) {
    return new ApiError(
      {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: err.message,
        reason: err.code === 400 ? "BadRequest" : "InternalError",
        code: err.code,
      },
      { cause: err },
    );
  }
  return err;
}
