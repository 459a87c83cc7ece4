/**
 * List handling of strategic merge patch: merging lists of maps by merge key
 * and lists of primitives as sets, the `$patch` directives on list items,
 * deletion lists, and upstream's ordering rules (patch order first, then the
 * live order for server-only items).
 */
import { StrategicMergeError } from "./errors.js";
import { isObject, type JsonObject } from "./json-value.js";
import type { PatchMeta } from "./meta.js";
import {
  badArgType,
  badPatchType,
  DELETE,
  DIRECTIVE,
  type ElementKind,
  MERGE,
  noMergeKey,
  REPLACE,
  sliceElementKind,
} from "./strategic-merge-util.js";

/** Merges a patch map into an original map (provided by strategic-merge.ts). */
export type MapMerger = (original: JsonObject, patch: JsonObject, meta: PatchMeta) => JsonObject;

/** The index of the map whose merge key equals `value`; non-maps fail. */
export function findByMergeKey(list: readonly unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isObject(v)) throw new StrategicMergeError(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, key) && v[key] === value) return i;
  }
  return -1;
}

function lookupValue(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== "map") return item;
  return isObject(item) ? (item[mergeKey] ?? null) : null;
}

function indexIn(
  list: readonly unknown[],
  item: unknown,
  mergeKey: string,
  kind: ElementKind,
): number {
  const want = lookupValue(item, mergeKey, kind);
  return list.findIndex((v) => lookupValue(v, mergeKey, kind) === want);
}

/** Go's insertion sort (what sort.SliceStable does for short lists), tolerant of odd orders. */
function insertionSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j] as T, items[j - 1] as T); j--) {
      const t = items[j] as T;
      items[j] = items[j - 1] as T;
      items[j - 1] = t;
    }
  }
  return items;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: (readonly unknown[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw badArgType("map", item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
}

/** Split list items into those kept and those marked `$patch: delete`. */
export function extractToDeleteItems(list: readonly unknown[]): {
  keep: unknown[];
  drop: unknown[];
} {
  const keep: unknown[] = [];
  const drop: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw badArgType("map", v);
    if (Object.hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === DELETE) drop.push(v);
    else keep.push(v);
  }
  return { keep, drop };
}

function normalizeSliceOrder(
  toSort: unknown[],
  order: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  let items = toSort;
  let drop: unknown[] = [];
  if (kind === "map") {
    validateMergeKeyInLists(mergeKey, toSort, order);
    ({ keep: items, drop } = extractToDeleteItems(toSort));
  }
  insertionSort(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...items, ...drop];
}

/** Interleave server-only items into patch items, keeping each side's order. */
function mergeSortedSlice(
  left: readonly unknown[],
  right: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Order the merged list: patch items by `patchOrder`, server-only items by the live order. */
export function normalizeElementOrder(opts: {
  patchItems: unknown[];
  serverOnly: unknown[];
  patchOrder: readonly unknown[];
  serverOrder: readonly unknown[];
  mergeKey: string;
  kind: ElementKind;
}): unknown[] {
  const { mergeKey, kind } = opts;
  const patch = normalizeSliceOrder(opts.patchItems, opts.patchOrder, mergeKey, kind);
  const server = normalizeSliceOrder(opts.serverOnly, opts.serverOrder, mergeKey, kind);
  return mergeSortedSlice(server, patch, opts.serverOrder, mergeKey, kind);
}

/** Split `list` into items present in `by` and the rest. */
export function partitionByPresence(
  list: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
): { patchItems: unknown[]; serverOnly: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (mergeKey === "") {
    const present = new Set(by);
    for (const v of list) (present.has(v) ? patchItems : serverOnly).push(v);
    return { patchItems, serverOnly };
  }
  for (const v of list) {
    if (!isObject(v)) throw badArgType("map", v);
    if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    (findByMergeKey(by, mergeKey, v[mergeKey]) >= 0 ? patchItems : serverOnly).push(v);
  }
  return { patchItems, serverOnly };
}

/** Upstream's in-place deduplication (swaps a duplicate with the last item). */
function deduplicateScalars(input: readonly unknown[]): unknown[] {
  const s = [...input];
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (s[i] === s[j]) {
        s[j] = s[last];
        s.length = last;
        last--;
        j--;
      }
    }
  }
  return s;
}

/** Apply `$patch` items of a list of maps: deletions, and replace of the whole list. */
function applySpecialElements(
  original: unknown[],
  patch: readonly unknown[],
  mergeKey: string,
): { original: unknown[]; patch: JsonObject[] } {
  const plain: JsonObject[] = [];
  let current = original;
  let replace = false;
  for (const v of patch as JsonObject[]) {
    if (!Object.hasOwn(v, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const t = v[DIRECTIVE];
    if (t === DELETE) {
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      const value = v[mergeKey];
      for (let i = findByMergeKey(current, mergeKey, value); i >= 0; ) {
        current = [...current.slice(0, i), ...current.slice(i + 1)];
        i = findByMergeKey(current, mergeKey, value);
      }
    } else if (t === REPLACE) {
      replace = true;
    } else if (t === MERGE) {
      throw new StrategicMergeError("merging lists cannot yet be specified in the patch");
    } else throw badPatchType(t, v);
  }
  return replace ? { original: plain, patch: [] } : { original: current, patch: plain };
}

/** Merge (or, for a deletion list, subtract) a patch list into an original list. */
export function mergeSlice(
  original: unknown[],
  patch: unknown[],
  opts: { meta: PatchMeta; mergeKey: string; isDeleteList: boolean; mergeMap: MapMerger },
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let serverOrder = original;
  let patchList: readonly unknown[] = patch;
  if (kind !== "map") {
    if (opts.isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (opts.mergeKey === "") {
      throw new StrategicMergeError("cannot merge lists without merge key for struct");
    }
    const special = applySpecialElements(original, patch, opts.mergeKey);
    serverOrder = special.original;
    patchList = special.patch;
    merged = [...special.original];
    for (const v of special.patch) {
      if (!Object.hasOwn(v, opts.mergeKey)) throw noMergeKey(v, opts.mergeKey);
      const i = findByMergeKey(merged, opts.mergeKey, v[opts.mergeKey]);
      if (i >= 0) merged[i] = opts.mergeMap(merged[i] as JsonObject, v, opts.meta);
      else merged.push(v);
    }
  }
  const { patchItems, serverOnly } = partitionByPresence(merged, patchList, opts.mergeKey);
  return normalizeElementOrder({
    patchItems,
    serverOnly,
    patchOrder: patchList,
    serverOrder,
    mergeKey: opts.mergeKey,
    kind,
  });
}
