/**
 * The ownership bookkeeping shared by updates and applies (upstream's
 * merge.Updater plus the apiserver field manager's wrappers): which fields
 * are never tracked, which the resource's strategy resets, what an empty
 * object looks like, and how a change moves ownership away from the other
 * managers.
 */
import { isObject, type JsonObject } from "../patch/json-value.js";
import type { PatchMeta } from "../patch/meta.js";
import { type ApplyConflict, ApplyConflictError, type ConflictCause } from "./errors.js";
import { describeManager, type ManagerEntry, type Managers, managerIdentity } from "./managers.js";
import { fieldElement, type Path, pathString } from "./path.js";
import { FieldSet } from "./set.js";
import { type Comparison, isUntyped } from "./typed.js";

/** Fields no manager ever owns: type and identity metadata, and managedFields itself. */
export const UNTRACKED_FIELDS: FieldSet = FieldSet.of(
  [
    ["apiVersion"],
    ["kind"],
    ["metadata"],
    ["metadata", "name"],
    ["metadata", "namespace"],
    ["metadata", "creationTimestamp"],
    ["metadata", "selfLink"],
    ["metadata", "uid"],
    ["metadata", "clusterName"],
    ["metadata", "generation"],
    ["metadata", "managedFields"],
    ["metadata", "resourceVersion"],
  ].map((p) => p.map(fieldElement)),
);

/**
 * Field paths (by field names) to a FieldSet, for the fields a resource's
 * strategy resets on this endpoint, e.g. `[["status"]]` for a main resource
 * with a status subresource, `[["spec"], ["metadata"]]` for its status.
 */
export function fieldPaths(paths: ReadonlyArray<readonly string[]>): FieldSet {
  return FieldSet.of(paths.map((p): Path => p.map(fieldElement)));
}

/** The object without metadata.managedFields (never compared or merged). */
export function withoutManagedFields(obj: JsonObject): JsonObject {
  const metadata = obj.metadata;
  if (!isObject(metadata) || !Object.hasOwn(metadata, "managedFields")) return obj;
  const { managedFields: _, ...rest } = metadata;
  return { ...obj, metadata: rest };
}

/** Struct fields that Go's zero value of a built-in kind already holds (as `{}`). */
const ZERO_STRUCT_FIELDS = new Set([
  "metadata",
  "spec",
  "status",
  "template",
  "strategy",
  "updateStrategy",
  "jobTemplate",
]);
/** List fields without omitempty that Go's zero value holds as null. */
const ZERO_NULL_LISTS = new Set(["containers"]);

/**
 * The "empty object" a create is compared against. Upstream compares with
 * the zero value of the Go type, which already holds non-pointer structs
 * (spec, template, strategy, ...) as `{}` and some lists as null, so these
 * do not count as added themselves (no "." in their FieldsV1). For a typed
 * kind this approximates that zero value, limited to the fields `obj` has;
 * for untyped objects it is `{}`.
 */
export function zeroObjectFor(obj: JsonObject, meta: PatchMeta): JsonObject {
  return isUntyped(meta) ? {} : zeroOf(obj, meta);
}

function zeroOf(obj: JsonObject, meta: PatchMeta): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    const child = meta.field(key);
    if (child === undefined) continue;
    if (ZERO_STRUCT_FIELDS.has(key) && isObject(value)) out[key] = zeroOf(value, child);
    else if (ZERO_NULL_LISTS.has(key) && Array.isArray(value)) out[key] = null;
  }
  return out;
}

/** The comparison without the ignored (strategy-reset) fields and everything below them. */
export function withoutIgnored(cmp: Comparison, ignored: FieldSet): Comparison {
  if (ignored.isEmpty()) return cmp;
  return {
    added: cmp.added.recursiveDifference(ignored),
    modified: cmp.modified.recursiveDifference(ignored),
    removed: cmp.removed.recursiveDifference(ignored),
  };
}

/**
 * Moves ownership after a change: every manager but `self` loses the fields
 * that were removed, and the fields whose value changed. Changing fields
 * another manager owns is a conflict unless `force`; with conflicts and no
 * force, throws ApplyConflictError and changes nothing. Entries left empty
 * are dropped. Returns the new managers.
 */
export function takeOwnership(options: {
  managers: Managers;
  self: string;
  cmp: Comparison;
  force: boolean;
}): Managers {
  const { managers, self, cmp, force } = options;
  const changed = cmp.modified.union(cmp.added);
  const conflicts: Array<[ManagerEntry, FieldSet]> = [];
  const out: Managers = new Map();
  for (const [id, entry] of managers) {
    if (id === self) {
      out.set(id, entry);
      continue;
    }
    const conflict = entry.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.push([entry, conflict]);
    const set = entry.set.difference(conflict).difference(cmp.removed);
    if (!set.isEmpty()) out.set(id, set === entry.set ? entry : { ...entry, set });
  }
  if (!force && conflicts.length > 0) throw conflictError(conflicts);
  return out;
}

function conflictError(groups: Array<[ManagerEntry, FieldSet]>): ApplyConflictError {
  const sorted = [...groups].sort(([a], [b]) => {
    const ia = managerIdentity(a);
    const ib = managerIdentity(b);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const conflicts: ApplyConflict[] = [];
  const causes: ConflictCause[] = [];
  const lines: string[] = [];
  for (const [entry, set] of sorted) {
    const who = describeManager(entry);
    lines.push(`conflicts with ${who}:`);
    for (const path of set.paths()) {
      const field = pathString(path);
      conflicts.push({
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
        subresource: entry.subresource,
        field,
      });
      causes.push({ reason: "FieldManagerConflict", message: `conflict with ${who}`, field });
      lines.push(`- ${field}`);
    }
  }
  const first = causes[0];
  const message =
    causes.length === 1 && first !== undefined
      ? `Apply failed with 1 conflict: ${first.message}: ${first.field}`
      : `Apply failed with ${causes.length} conflicts: ${lines.join("\n")}`;
  return new ApplyConflictError(conflicts, message, causes);
}
