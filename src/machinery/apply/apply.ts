/**
 * Server-side apply (PATCH with application/apply-patch+yaml): merges an
 * applied configuration into the live object, removes what the applier
 * stopped applying, and records the applier as the owner of exactly the
 * fields it applied, refusing with 409 when that changes fields another
 * manager owns (unless forced).
 */
import { isObject, type JsonObject, jsonEqual } from "../patch/json-value.js";
import type { PatchMeta } from "../patch/meta.js";
import { ApplyBadRequestError } from "./errors.js";
import {
  decodeManagedFields,
  encodeManagedFields,
  formatTime,
  type ManagedFieldsEntry,
  type Managers,
  managerIdentity,
} from "./managers.js";
import { FieldSet } from "./set.js";
import {
  compareObjects,
  fieldSetOf,
  mergeObjects,
  removeFields,
  withNamedFieldsAsMembers,
} from "./typed.js";
import {
  takeOwnership,
  UNTRACKED_FIELDS,
  withoutIgnored,
  withoutManagedFields,
  zeroObjectFor,
} from "./updater.js";

export interface ApplyOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: JsonObject | undefined;
  /** The applied configuration (the decoded request body). */
  applied: JsonObject;
  /** The field manager (the required fieldManager query parameter). */
  manager: string;
  /** `force=true`: take conflicting fields over instead of failing. Default false. */
  force?: boolean;
  /** The request's group/version; default the applied object's apiVersion. */
  apiVersion?: string;
  /** "" (default) for the main resource, else e.g. "status". */
  subresource?: string;
  now: Date;
  /** The kind's meta (patchMetaFor(gvk), ideally with listMapKeys/mapType). */
  meta: PatchMeta;
  /** Fields the strategy resets on this endpoint (see fieldPaths()); default none. */
  ignored?: FieldSet;
}

export interface ApplyResult {
  /** The object to store, metadata.managedFields set (or absent when none remain). */
  object: JsonObject;
  /** The same managedFields, or undefined for none. */
  managedFields: ManagedFieldsEntry[] | undefined;
  /** False when the apply left the object as it was (only managedFields may differ). */
  changed: boolean;
}

const BEFORE_FIRST_APPLY = "before-first-apply";

/**
 * Applies a configuration. Throws ApplyConflictError (409) listing every
 * conflict, ApplyBadRequestError (400) for a configuration that carries
 * managedFields or names another apiVersion, ApplySchemaError for lists
 * whose items lack their keys or repeat them.
 */
export function applyConfiguration(options: ApplyOptions): ApplyResult {
  const { live, meta, now } = options;
  const subresource = options.subresource ?? "";
  const applied = checkedConfiguration(options);
  const apiVersion =
    options.apiVersion ?? (typeof applied.apiVersion === "string" ? applied.apiVersion : "");
  const ignored = options.ignored ?? new FieldSet();

  let managers = decodeManagedFields(
    isObject(live?.metadata) ? live.metadata.managedFields : undefined,
  );
  const liveObj = live !== undefined ? withoutManagedFields(live) : {};
  if (managers.size === 0 && live !== undefined) {
    managers = adoptExistingFields({ liveObj, meta, apiVersion, subresource, ignored, now });
  }

  const merged = mergeObjects(liveObj, applied, meta) as JsonObject;
  const owner = { manager: options.manager, operation: "Apply", apiVersion, subresource } as const;
  const self = managerIdentity(owner);
  const previous = managers.get(self);
  const appliedSet = fieldSetOf(applied, meta).recursiveDifference(ignored);
  managers = new Map(managers);
  managers.set(self, { ...owner, set: appliedSet, time: previous?.time });

  const object = prune({ merged, managers, last: previous?.set, meta });
  const cmp = withoutIgnored(compareObjects(liveObj, object, meta), ignored);
  managers = takeOwnership({ managers, self, cmp, force: options.force ?? false });

  const changed = !jsonEqual(liveObj, object);
  const mine = managers.get(self);
  if (mine !== undefined) {
    const set = mine.set.difference(UNTRACKED_FIELDS);
    if (set.isEmpty()) managers.delete(self);
    else managers.set(self, { ...mine, set, time: changed ? formatTime(now) : mine.time });
  }
  const managedFields = encodeManagedFields(managers);
  return { object: withManagedFields(object, managedFields), managedFields, changed };
}

function checkedConfiguration(options: ApplyOptions): JsonObject {
  const applied = options.applied;
  const metadata = applied.metadata;
  if (
    isObject(metadata) &&
    metadata.managedFields !== undefined &&
    metadata.managedFields !== null
  ) {
    throw new ApplyBadRequestError("metadata.managedFields must be nil");
  }
  const version = applied.apiVersion;
  if (
    options.apiVersion !== undefined &&
    typeof version === "string" &&
    version !== options.apiVersion
  ) {
    throw new ApplyBadRequestError(
      `Incorrect version specified in apply patch. Specified patch version: ${version}, expected: ${options.apiVersion}`,
    );
  }
  return withoutManagedFields(applied);
}

/**
 * An object without managedFields (created before tracking, or reset) is
 * first attributed to "before-first-apply", so the first applier conflicts
 * with values it would change rather than silently taking them over.
 */
function adoptExistingFields(options: {
  liveObj: JsonObject;
  meta: PatchMeta;
  apiVersion: string;
  subresource: string;
  ignored: FieldSet;
  now: Date;
}): Managers {
  const { liveObj, meta, apiVersion, subresource, ignored, now } = options;
  const cmp = withoutIgnored(compareObjects(zeroObjectFor(liveObj, meta), liveObj, meta), ignored);
  const set = cmp.added.union(cmp.modified).difference(UNTRACKED_FIELDS);
  const out: Managers = new Map();
  if (set.isEmpty()) return out;
  const owner = {
    manager: BEFORE_FIRST_APPLY,
    operation: "Update",
    apiVersion,
    subresource,
  } as const;
  out.set(managerIdentity(owner), { ...owner, set, time: formatTime(now) });
  return out;
}

/**
 * Removes from the merged object what the applier applied last time and
 * no longer applies, unless some manager (the applier's new configuration
 * included) still owns it (upstream's prune, addBackOwnedItems and
 * addBackDanglingItems).
 */
function prune(options: {
  merged: JsonObject;
  managers: Managers;
  last: FieldSet | undefined;
  meta: PatchMeta;
}): JsonObject {
  const { merged, managers, last, meta } = options;
  if (last === undefined || last.isEmpty()) return merged;
  const named = (set: FieldSet) => withNamedFieldsAsMembers(set, meta);
  const lastNamed = named(last);
  const mergedSet = named(fieldSetOf(merged, meta));

  let owned = new FieldSet();
  for (const entry of managers.values()) owned = owned.union(entry.set);
  const firstCut = removeFields(merged, lastNamed, meta);
  const keep = named(fieldSetOf(firstCut, meta)).union(named(owned));
  const ownedBack = removeFields(merged, mergedSet.difference(keep), meta);

  const removed = mergedSet.difference(named(fieldSetOf(ownedBack, meta))).intersection(lastNamed);
  return removeFields(merged, removed, meta) as JsonObject;
}

function withManagedFields(
  obj: JsonObject,
  managedFields: ManagedFieldsEntry[] | undefined,
): JsonObject {
  const metadata = isObject(obj.metadata) ? { ...obj.metadata } : {};
  if (managedFields === undefined) delete metadata.managedFields;
  else metadata.managedFields = managedFields;
  return { ...obj, metadata };
}
