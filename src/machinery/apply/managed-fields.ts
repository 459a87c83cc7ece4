/**
 * managedFields for create, update and non-apply patch requests (upstream's
 * FieldManager.UpdateNoErrors): the writer takes ownership of every field
 * it changed, other managers silently lose those fields and the ones it
 * removed, and the writer's entry gets the request time.
 */
import type { JsonObject } from "../patch/json-value.js";
import { isObject, jsonEqual } from "../patch/json-value.js";
import type { PatchMeta } from "../patch/meta.js";
import { applyConfiguration } from "./apply.js";
import { ApplyError } from "./errors.js";
import {
  capUpdateManagers,
  decodeManagedFields,
  decodeManagedFieldsOrEmpty,
  encodeManagedFields,
  formatTime,
  type ManagedFieldsEntry,
  type Managers,
  managerIdentity,
} from "./managers.js";
import { FieldSet } from "./set.js";
import { compareObjects } from "./typed.js";
import {
  takeOwnership,
  UNTRACKED_FIELDS,
  withoutIgnored,
  withoutManagedFields,
  zeroObjectFor,
} from "./updater.js";

export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined for a create. */
  live: JsonObject | undefined;
  /** The object about to be stored (after patching, defaulting and the strategy). */
  next: JsonObject;
  /** The field manager, see fieldManagerFor(). */
  manager: string;
  /**
   * "Update" (default). "Apply" treats `next` as an applied configuration
   * and returns applyConfiguration()'s managedFields (use that function
   * directly to get the merged object too).
   */
  operation?: "Update" | "Apply";
  /** With operation "Apply": take ownership of conflicting fields instead of failing. */
  force?: boolean;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  /** "" (default) for the main resource, else e.g. "status", "scale". */
  subresource?: string;
  now: Date;
  /** The kind's meta (patchMetaFor(gvk), ideally with listMapKeys/mapType). */
  meta: PatchMeta;
  /** Fields the strategy resets on this endpoint (see fieldPaths()); default none. */
  ignored?: FieldSet;
}

/**
 * The managedFields `next` should be stored with, or undefined for none.
 *
 * The starting point is `next`'s own managedFields when it carries a
 * decodable non-empty list (clients may edit them; `[]` resets them), else
 * the live object's; subresource writes always start from the live ones.
 * An existing object without managedFields stays untracked, as upstream.
 * Objects that do not fit the meta keep the live managedFields unchanged.
 */
export function updateManagedFields(
  options: UpdateManagedFieldsOptions,
): ManagedFieldsEntry[] | undefined {
  if (options.operation === "Apply") {
    return applyConfiguration({
      live: options.live,
      applied: options.next,
      manager: options.manager,
      force: options.force ?? false,
      apiVersion: options.apiVersion,
      subresource: options.subresource ?? "",
      now: options.now,
      meta: options.meta,
      ...(options.ignored !== undefined ? { ignored: options.ignored } : {}),
    }).managedFields;
  }
  try {
    return trackUpdate(options);
  } catch (err) {
    if (!(err instanceof ApplyError)) throw err;
    const live = options.live?.metadata;
    return isObject(live) && Array.isArray(live.managedFields)
      ? (live.managedFields as ManagedFieldsEntry[])
      : undefined;
  }
}

function trackUpdate(options: UpdateManagedFieldsOptions): ManagedFieldsEntry[] | undefined {
  const { live, next, meta, now, apiVersion } = options;
  const subresource = options.subresource ?? "";
  const managers = startingManagers(live, next, subresource);
  if (managers.size === 0 && live !== undefined) return undefined;

  const nextObj = withoutManagedFields(next);
  const liveObj = live !== undefined ? withoutManagedFields(live) : zeroObjectFor(nextObj, meta);
  const cmp = withoutIgnored(
    compareObjects(liveObj, nextObj, meta),
    options.ignored ?? new FieldSet(),
  );
  const owner = {
    manager: options.manager || "unknown",
    operation: "Update",
    apiVersion,
    subresource,
  } as const;
  const self = managerIdentity(owner);
  // The writer's own previous entry is treated like any other here (it
  // loses what was removed); the new ownership is merged into it below.
  let result = takeOwnership({ managers, self: "", cmp, force: true });
  const taken = cmp.added.union(cmp.modified).difference(UNTRACKED_FIELDS);
  if (!taken.isEmpty()) {
    const previous = result.get(self);
    result = new Map(result);
    result.set(self, {
      ...owner,
      set: previous !== undefined ? previous.set.union(taken) : taken,
      time: formatTime(now),
    });
  }
  return encodeManagedFields(capUpdateManagers(result));
}

function startingManagers(
  live: JsonObject | undefined,
  next: JsonObject,
  subresource: string,
): Managers {
  const liveFields = isObject(live?.metadata) ? live.metadata.managedFields : undefined;
  if (subresource !== "") return decodeManagedFieldsOrEmpty(liveFields);
  const nextFields = isObject(next.metadata) ? next.metadata.managedFields : undefined;
  if (isReset(nextFields)) return new Map();
  if (Array.isArray(nextFields) && nextFields.length > 0) {
    try {
      const decoded = decodeManagedFields(nextFields);
      if (decoded.size > 0) return decoded;
    } catch {
      // fall back to the live object's, as upstream does for undecodable input
    }
  }
  return decodeManagedFieldsOrEmpty(liveFields);
}

/** `[]` or `[{}]`: the client asks to clear managedFields. */
function isReset(fields: unknown): boolean {
  if (!Array.isArray(fields)) return false;
  return fields.length === 0 || (fields.length === 1 && jsonEqual(fields[0], {}));
}
