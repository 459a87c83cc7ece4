/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied
 * the way upstream's API server applies it (strategicpatch.StrategicMergeMapPatch):
 * maps merge recursively and `null` deletes; lists whose field has patch
 * strategy "merge" merge by their merge key (or as sets of primitives), other
 * lists replace; the directives `$patch` (replace/delete on maps and list
 * items), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured.
 */
import { PatchBadRequestError, PatchError, StrategicMergeError } from "./errors.js";
import { cloneJson, goFormat, isObject, type JsonObject } from "./json-value.js";
import { NO_PATCH_META, type PatchMeta } from "./meta.js";
import { mergeSlice, normalizeElementOrder, partitionByPresence } from "./strategic-merge-lists.js";
import {
  badArgType,
  badPatchType,
  badRetainKeys,
  DELETE,
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  discardNulls,
  extractKey,
  fieldStrategy,
  findPatchItemsInOrder,
  kindOf,
  MERGE,
  memberMeta,
  noMergeKey,
  REPLACE,
  RETAIN_KEYS,
  removeDirectives,
  SET_ELEMENT_ORDER,
  sliceElementKind,
  stripDirectiveKeys,
} from "./strategic-merge-util.js";

/** `$retainKeys`: drop original keys not listed; patch keys must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    if (!keep.has(k)) throw badRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Upstream's check that the patch list follows the `$setElementOrder` list. */
function validatePatchWithSetOrderList(
  patchList: readonly unknown[],
  order: readonly unknown[],
  mergeKey: string,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = findPatchItemsInOrder(patchList, mergeKey);
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < order.length) {
    const item = items[pi];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[si], mergeKey)) pi++;
    si++;
  }
  if (pi < items.length && si >= order.length) {
    throw new StrategicMergeError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === "") return left === right;
  if (!isObject(left)) throw badArgType("map", left);
  if (!isObject(right)) throw badArgType("map", right);
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** Process every `$setElementOrder/<list>` with its list, removing both from the patch. */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType("slice", order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = Object.hasOwn(original, listKey);
    const foundPatch = Object.hasOwn(patch, listKey);
    const originalList = foundOriginal ? original[listKey] : undefined;
    const patchList = foundPatch ? patch[listKey] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) throw badArgType("slice", originalList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType("slice", patchList);
    const origItems = (originalList ?? []) as unknown[];
    const patchItemsRaw = (patchList ?? []) as unknown[];
    const fieldMeta = memberMeta(meta, listKey);
    const strategy = fieldStrategy(fieldMeta);
    const mergeKey = fieldMeta.mergeKey ?? "";
    validatePatchWithSetOrderList(patchItemsRaw, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = origItems;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchItemsRaw) as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = mergeSliceField(origItems, patchItemsRaw, {
        meta: fieldMeta,
        strategy,
        isDeleteList: false,
      });
    } else continue;

    const { patchItems, serverOnly } = partitionByPresence(merged, order, mergeKey);
    const kind = sliceElementKind(origItems, patchItemsRaw);
    original[listKey] = normalizeElementOrder({
      patchItems,
      serverOnly,
      patchOrder: order,
      serverOrder: origItems,
      mergeKey,
      kind,
    });
    delete patch[listKey];
  }
}

function mergeSliceField(
  original: unknown[],
  patch: unknown[],
  opts: { meta: PatchMeta; strategy: string; isDeleteList: boolean },
): unknown[] {
  if (opts.strategy !== MERGE && !opts.isDeleteList) return patch;
  return mergeSlice(original, patch, {
    meta: opts.meta.elements() ?? NO_PATCH_META,
    mergeKey: opts.meta.mergeKey ?? "",
    isDeleteList: opts.isDeleteList,
    mergeMap,
  });
}

/** Take a patch value for a key the original lacks (or holds with another type). */
function takePatchValue(original: JsonObject, key: string, value: unknown): void {
  discardNulls(value);
  const v = removeDirectives(value);
  if (v === undefined) delete original[key];
  else original[key] = v;
}

/** Merge `patch` into `original` in place and return the result (which may be another map). */
function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === REPLACE) {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === DELETE) return {};
    throw badPatchType(directive, patch);
  }
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, meta);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    if (!Object.hasOwn(original, key) || kindOf(original[key]) !== kindOf(patchV)) {
      if (!isDeleteList) takePatchValue(original, key, patchV);
      continue;
    }
    const current = original[key];
    const fieldMeta = memberMeta(meta, key);
    if (isObject(current) && isObject(patchV)) {
      const strategy = fieldStrategy(fieldMeta);
      original[key] = strategy !== REPLACE ? mergeMap(current, patchV, fieldMeta) : patchV;
    } else if (Array.isArray(current) && Array.isArray(patchV)) {
      original[key] = mergeSliceField(current, patchV, {
        meta: fieldMeta,
        strategy: fieldStrategy(fieldMeta),
        isDeleteList,
      });
    } else {
      const v = removeDirectives(patchV);
      if (v === undefined) delete original[key];
      else original[key] = v;
    }
  }
  return original;
}

/**
 * Apply a strategic merge patch to `original`, returning a new object (inputs
 * are not changed). `meta` says which lists merge and by which key.
 * Throws PatchBadRequestError (400), PatchUnprocessableError (422) or
 * StrategicMergeError (500, as upstream passes these through untyped).
 */
export function strategicMergeApply(
  original: unknown,
  patch: unknown,
  meta: PatchMeta = NO_PATCH_META,
): JsonObject {
  if (!isObject(patch)) {
    const what = patch === null ? "null" : Array.isArray(patch) ? "array" : typeof patch;
    throw new PatchBadRequestError(
      `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`,
    );
  }
  if (original !== null && original !== undefined && !isObject(original)) {
    throw new PatchBadRequestError("invalid JSON document");
  }
  try {
    const result = mergeMap(cloneJson(original ?? {}) as JsonObject, cloneJson(patch), meta);
    stripDirectiveKeys(result);
    return result;
  } catch (err) {
    if (err instanceof PatchError) throw err;
    throw new StrategicMergeError(String(err), { cause: err });
  }
}
