/**
 * Shared pieces of strategic merge patch: directive names, upstream's error
 * texts, element typing and the directive-stripping helpers.
 */
import { PatchBadRequestError, PatchUnprocessableError, StrategicMergeError } from "./errors.js";
import { goFormat, goTypeName, isObject, type JsonObject } from "./json-value.js";
import { NO_PATCH_META, type PatchMeta } from "./meta.js";

export const DIRECTIVE = "$patch";
export const DELETE = "delete";
export const REPLACE = "replace";
export const MERGE = "merge";
export const RETAIN_KEYS = "$retainKeys";
export const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
export const SET_ELEMENT_ORDER = "$setElementOrder";

export const badPrimitiveList = (): PatchBadRequestError =>
  new PatchBadRequestError("invalid patch format of primitive list");
export const badRetainKeys = (): PatchBadRequestError =>
  new PatchBadRequestError("invalid patch format of retainKeys");
export const badSetElementOrder = (): PatchBadRequestError =>
  new PatchBadRequestError("invalid patch format of setElementOrder list");

export function noMergeKey(m: JsonObject, key: string): StrategicMergeError {
  return new StrategicMergeError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

export function badArgType(expected: "map" | "slice", actual: unknown): StrategicMergeError {
  const e = expected === "map" ? "map[string]interface {}" : "[]interface {}";
  return new StrategicMergeError(`expected a ${e}, but received a ${goTypeName(actual)}`);
}

export function badPatchType(t: unknown, m: JsonObject): StrategicMergeError {
  return new StrategicMergeError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}

/** The type of a decoded JSON value as Go's reflect would tell them apart. */
export type ElementKind = "map" | "slice" | "string" | "bool" | "int64" | "float64" | "nil";

export function kindOf(v: unknown): ElementKind {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "slice";
  if (isObject(v)) return "map";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int64" : "float64";
}

/** The common element kind of some lists; lists of lists and mixed lists fail. */
export function sliceElementKind(...slices: (readonly unknown[])[]): ElementKind {
  let prev: ElementKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (k === "slice") throw new PatchUnprocessableError("lists of lists are not supported");
      } else if (prev !== k) {
        throw new StrategicMergeError(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new StrategicMergeError("no elements in any of the given slices");
  return prev;
}

/** The key after `prefix/`, e.g. `containers` from `$setElementOrder/containers`. */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST ? badPrimitiveList() : badSetElementOrder();
  }
  return key.slice(slash + 1);
}

/** The meta of a member: a named field, else the map's value type, else nothing known. */
export function memberMeta(meta: PatchMeta, key: string): PatchMeta {
  return meta.field(key) ?? meta.elements() ?? NO_PATCH_META;
}

/** The non-retainKeys strategy of a field ("merge", "replace" or ""). */
export function fieldStrategy(meta: PatchMeta): string {
  const strategies = meta.patchStrategy ? meta.patchStrategy.split(",") : [];
  if (strategies.length === 0) return "";
  if (strategies.length === 1)
    return strategies[0] === "retainKeys" ? "" : (strategies[0] as string);
  if (strategies.length === 2) {
    if (strategies[0] === "retainKeys") return strategies[1] as string;
    if (strategies[1] === "retainKeys") return strategies[0] as string;
  }
  throw new StrategicMergeError(`unexpected patch strategy: [${strategies.join(" ")}]`);
}

/**
 * Drop maps carrying `$patch` (and the entries holding them), as upstream's
 * removeDirectives does for values copied straight from the patch.
 * Returns undefined when the value itself is such a map.
 */
export function removeDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const r = removeDirectives(x);
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  if (isObject(v)) {
    if (Object.hasOwn(v, DIRECTIVE)) return undefined;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const r = removeDirectives(x);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return v;
}

/** Remove null members of maps, recursively (upstream's discardNullValuesFromPatch). */
export function discardNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) discardNulls(x);
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
}

function isDirectiveKey(k: string): boolean {
  return (
    k === DIRECTIVE ||
    k === RETAIN_KEYS ||
    k.startsWith(`${SET_ELEMENT_ORDER}/`) ||
    k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)
  );
}

/**
 * Drop directive keys left in the result (they are no field of any built-in
 * type; upstream's typed decoding drops them the same way), in place.
 */
export function stripDirectiveKeys(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) stripDirectiveKeys(x);
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (isDirectiveKey(k)) delete v[k];
      else stripDirectiveKeys(x);
    }
  }
}

/** The patch list without `$patch: delete` items when it merges by key (upstream's extractToDeleteItems). */
export function findPatchItemsInOrder(list: readonly unknown[], mergeKey: string): unknown[] {
  if (mergeKey === "") return [...list];
  return list.filter((v) => {
    if (!isObject(v)) throw badArgType("map", v);
    return !(Object.hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === DELETE);
  });
}
