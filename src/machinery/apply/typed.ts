/**
 * The schema-aware walks server-side apply is made of, over plain JSON
 * objects and a kind's PatchMeta: the set of fields an object sets, the
 * comparison of two objects, the merge of an applied configuration into a
 * live object and the removal of a set of fields.
 *
 * How a node merges follows upstream's conversion of OpenAPI to its typed
 * schema: a list is a map keyed by x-kubernetes-list-map-keys (or the patch
 * merge key) when x-kubernetes-list-type is "map" or the patch strategy is
 * "merge" with a merge key, a set when the list type is "set" or the patch
 * strategy is "merge" without a key, and atomic otherwise; an object is
 * atomic when x-kubernetes-map-type is "atomic". A struct field is one the
 * meta names (`field(name)` defined); any other key is a map entry.
 * Values decide the shape: an array is a list, an object a map, anything
 * else (null included) a scalar leaf.
 */

import { isObject, type JsonObject, jsonEqual } from "../patch/json-value.js";
import type { PatchMeta } from "../patch/meta.js";
import { NO_PATCH_META } from "../patch/meta.js";
import { ApplySchemaError } from "./errors.js";
import {
  fieldElement,
  keyElement,
  type Path,
  type PathElement,
  pathString,
  serializeElement,
  valueElement,
} from "./path.js";
import { FieldSet } from "./set.js";

/**
 * PatchMeta plus the two schema facts apply needs that strategic merge
 * patch does not: the full list-map keys (ports are keyed by containerPort
 * and protocol) and atomic maps (x-kubernetes-map-type). Both optional:
 * without listMapKeys the merge key is the only key; without mapType every
 * object merges field by field.
 */
export interface ApplyMeta extends PatchMeta {
  readonly listMapKeys?: readonly string[];
  readonly mapType?: string;
}

/**
 * Upstream's "deduced" type for schemaless objects: maps merge key by key
 * (every key a map entry), lists and scalars are atomic.
 */
export const DEDUCED_META: PatchMeta = {
  field: () => undefined,
  elements: () => DEDUCED_META,
};

/**
 * Schema defaults of list-map key fields in the built-in kinds, used when an
 * item omits the field (ContainerPort and ServicePort default protocol to TCP).
 */
const KEY_FIELD_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: "TCP" };

type ListShape =
  | { readonly type: "atomic" }
  | { readonly type: "set" }
  | { readonly type: "map"; readonly keys: readonly string[] };

const ATOMIC: ListShape = { type: "atomic" };
const SET: ListShape = { type: "set" };

export function listShape(meta: PatchMeta): ListShape {
  const m = meta as ApplyMeta;
  switch (m.listType) {
    case "atomic":
      return ATOMIC;
    case "set":
      return SET;
    case "map": {
      const keys = m.listMapKeys ?? (m.mergeKey !== undefined ? [m.mergeKey] : []);
      return keys.length > 0 ? { type: "map", keys } : ATOMIC;
    }
  }
  const strategy = m.patchStrategy;
  if (strategy === "merge" || strategy === "merge,retainKeys" || strategy === "retainKeys,merge") {
    return m.mergeKey !== undefined ? { type: "map", keys: [m.mergeKey] } : SET;
  }
  return ATOMIC;
}

function isAtomicMap(meta: PatchMeta): boolean {
  return (meta as ApplyMeta).mapType === "atomic";
}

/** The meta of a map key and whether it is a named struct field. */
function childOf(meta: PatchMeta, name: string): { meta: PatchMeta; named: boolean } {
  const named = meta.field(name);
  if (named !== undefined) return { meta: named, named: true };
  return { meta: meta.elements() ?? DEDUCED_META, named: false };
}

function elementsOf(meta: PatchMeta): PatchMeta {
  return meta.elements() ?? DEDUCED_META;
}

/** The meta below a path element (for navigating field sets). */
export function metaBelow(meta: PatchMeta, pe: PathElement): PatchMeta {
  return pe.kind === "field" ? childOf(meta, pe.name).meta : elementsOf(meta);
}

/** True when the meta names this field (so prune owns the field itself). */
function isNamedField(meta: PatchMeta, name: string): boolean {
  return meta.field(name) !== undefined;
}

/** The path element naming a list item: its key fields or, in a set, its value. */
function itemElement(item: unknown, shape: ListShape, where: Path): PathElement {
  if (shape.type === "set") {
    if (item === null || typeof item === "object") {
      const what = item === null ? "an explicit null" : Array.isArray(item) ? "a list" : "a map";
      throw new ApplySchemaError(
        `${pathString(where)}: associative list without keys has an element that's ${what}`,
      );
    }
    return valueElement(item);
  }
  if (shape.type !== "map") throw new ApplySchemaError("invalid indexing of non-associative list");
  if (!isObject(item)) {
    throw new ApplySchemaError(
      `${pathString(where)}: associative list with keys may not have non-map elements`,
    );
  }
  const fields: Array<readonly [string, unknown]> = [];
  for (const key of shape.keys) {
    const v = item[key];
    if (v !== undefined) fields.push([key, v]);
    else if (KEY_FIELD_DEFAULTS[key] !== undefined) fields.push([key, KEY_FIELD_DEFAULTS[key]]);
  }
  if (fields.length === 0) {
    throw new ApplySchemaError(
      `${pathString(where)}: associative list with keys has an element that omits all key fields ${JSON.stringify(shape.keys)} (and doesn't have default values for any key fields)`,
    );
  }
  return keyElement(fields);
}

interface IndexedItem {
  readonly pe: PathElement;
  readonly items: unknown[];
}

/** List items grouped by element, in first-seen order. */
function indexItems(
  list: readonly unknown[],
  shape: ListShape,
  where: Path,
): Map<string, IndexedItem> {
  const out = new Map<string, IndexedItem>();
  for (const item of list) {
    const pe = itemElement(item, shape, where);
    const key = serializeElement(pe);
    const seen = out.get(key);
    if (seen === undefined) out.set(key, { pe, items: [item] });
    else seen.items.push(item);
  }
  return out;
}

// ---------------------------------------------------------------- field set

/**
 * The set of fields `obj` sets: every scalar, atomic list or atomic map; the
 * map entries themselves (labels' keys); associative list items themselves
 * and their fields; empty maps and nulls.
 */
export function fieldSetOf(obj: unknown, meta: PatchMeta): FieldSet {
  const set = new FieldSet();
  walkFields(obj, meta, [], set);
  return set;
}

function walkFields(v: unknown, meta: PatchMeta, path: Path, set: FieldSet): void {
  if (Array.isArray(v)) {
    const shape = listShape(meta);
    if (shape.type === "atomic") {
      set.insert(path);
      return;
    }
    const elem = elementsOf(meta);
    for (const { pe, items } of indexItems(v, shape, path).values()) {
      const itemPath = [...path, pe];
      if (items.length === 1) walkFields(items[0], elem, itemPath, set);
      set.insert(itemPath);
    }
    return;
  }
  if (isObject(v)) {
    if (isAtomicMap(meta)) {
      set.insert(path);
      return;
    }
    for (const [key, child] of Object.entries(v)) {
      if (child === undefined) continue;
      const { meta: cm, named } = childOf(meta, key);
      const childPath = [...path, fieldElement(key)];
      walkFields(child, cm, childPath, set);
      if (child === null || (isObject(child) && Object.keys(child).length === 0) || !named)
        set.insert(childPath);
    }
    return;
  }
  set.insert(path);
}

// ---------------------------------------------------------------- compare

/** What changed from one object to another, as three field sets. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/**
 * Compares two objects: fields only in `next` are added, only in `prev`
 * removed, in both with different values modified. A map or list that
 * appears or disappears is itself added or removed along with its contents.
 */
export function compareObjects(prev: unknown, next: unknown, meta: PatchMeta): Comparison {
  const out = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareNode(prev, next, meta, [], out);
  return out;
}

type NodeShape = "list" | "map" | "leaf";

/** How two values at one place are walked: null or absent takes the other side's shape. */
function shapeOf(l: unknown, r: unknown): NodeShape {
  const vacant = (v: unknown) => v === undefined || v === null;
  if (
    (Array.isArray(l) || vacant(l)) &&
    (Array.isArray(r) || vacant(r)) &&
    (Array.isArray(l) || Array.isArray(r))
  ) {
    return "list";
  }
  if ((isObject(l) || vacant(l)) && (isObject(r) || vacant(r)) && (isObject(l) || isObject(r)))
    return "map";
  return "leaf";
}

function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function asMap(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function compareNode(l: unknown, r: unknown, meta: PatchMeta, path: Path, out: Comparison): void {
  const shape = shapeOf(l, r);
  let leaf = shape === "leaf";
  if (shape === "list") {
    const kind = listShape(meta);
    const ll = asList(l);
    const rl = asList(r);
    if (kind.type === "atomic" || (ll.length === 0 && rl.length === 0)) leaf = true;
    else compareLists(ll, rl, kind, elementsOf(meta), path, out);
  } else if (shape === "map") {
    const lm = asMap(l);
    const rm = asMap(r);
    if (isAtomicMap(meta) || (Object.keys(lm).length === 0 && Object.keys(rm).length === 0))
      leaf = true;
    else {
      const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
      for (const key of keys) {
        compareNode(lm[key], rm[key], childOf(meta, key).meta, [...path, fieldElement(key)], out);
      }
    }
  }
  if (leaf) {
    if (l === undefined) out.added.insert(path);
    else if (r === undefined) out.removed.insert(path);
    else if (!jsonEqual(l, r)) out.modified.insert(path);
    return;
  }
  if (l === undefined) out.added.insert(path);
  else if (r === undefined) out.removed.insert(path);
}

function compareLists(
  l: readonly unknown[],
  r: readonly unknown[],
  shape: ListShape,
  elem: PatchMeta,
  path: Path,
  out: Comparison,
): void {
  const lItems = indexItems(l, shape, path);
  const rItems = indexItems(r, shape, path);
  const keys = new Set([...lItems.keys(), ...rItems.keys()]);
  for (const key of keys) {
    const li = lItems.get(key);
    const ri = rItems.get(key);
    const pe = (li ?? ri)?.pe as PathElement;
    const lList = li?.items ?? [];
    const rList = ri?.items ?? [];
    const itemPath = [...path, pe];
    if (lList.length <= 1 && rList.length <= 1) {
      compareNode(lList[0], rList[0], elem, itemPath, out);
    } else if (lList.length >= 2 && rList.length >= 2) {
      if (!jsonEqual(lList, rList)) out.modified.insert(itemPath);
    } else if (lList.length >= 2) {
      if (rList.length > 0) compareNode(undefined, rList[0], elem, itemPath, out);
      out.removed.insert(itemPath);
    } else {
      if (lList.length > 0) compareNode(lList[0], undefined, elem, itemPath, out);
      out.added.insert(itemPath);
    }
  }
}

// ---------------------------------------------------------------- merge

/**
 * Merges an applied configuration into a live object: maps merge key by key,
 * associative lists item by item (live-only items keep their place, applied
 * items come in the applied order), everything else is replaced by the
 * applied value. Duplicate keys in the applied configuration are an error.
 */
export function mergeObjects(live: unknown, applied: unknown, meta: PatchMeta): unknown {
  return mergeNode(live, applied, meta, []);
}

function mergeNode(l: unknown, r: unknown, meta: PatchMeta, path: Path): unknown {
  const shape = shapeOf(l, r);
  if (shape === "list") {
    const kind = listShape(meta);
    const ll = asList(l);
    const rl = asList(r);
    if (kind.type !== "atomic" && (ll.length > 0 || rl.length > 0)) {
      const merged = mergeLists(ll, rl, kind, elementsOf(meta), path);
      return merged.length > 0 ? merged : undefined;
    }
  } else if (shape === "map") {
    const lm = asMap(l);
    const rm = asMap(r);
    if (!isAtomicMap(meta) && (Object.keys(lm).length > 0 || Object.keys(rm).length > 0)) {
      const out: JsonObject = {};
      const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
      for (const key of keys) {
        const v = mergeNode(lm[key], rm[key], childOf(meta, key).meta, [
          ...path,
          fieldElement(key),
        ]);
        if (v !== undefined) out[key] = v;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
  }
  return r !== undefined ? r : l;
}

function mergeLists(
  l: readonly unknown[],
  r: readonly unknown[],
  shape: ListShape,
  elem: PatchMeta,
  path: Path,
): unknown[] {
  const elements = new Map<string, PathElement>();
  const keyOf = (item: unknown): string => {
    const pe = itemElement(item, shape, path);
    const key = serializeElement(pe);
    elements.set(key, pe);
    return key;
  };
  const rKeys = r.map(keyOf);
  const rByKey = new Map<string, unknown>();
  for (const [i, key] of rKeys.entries()) {
    if (rByKey.has(key)) {
      throw new ApplySchemaError(
        `${pathString(path)}: duplicate entries for key ${pathString([elements.get(key) as PathElement])}`,
      );
    }
    rByKey.set(key, r[i]);
  }
  const lKeys = l.map(keyOf);
  // Live duplicates merge as if the live item were null.
  const lByKey = new Map<string, unknown>();
  for (const [i, key] of lKeys.entries()) lByKey.set(key, lByKey.has(key) ? null : l[i]);

  const out: unknown[] = [];
  const push = (lv: unknown, rv: unknown, key: string) => {
    const v = mergeNode(lv, rv, elem, [...path, elements.get(key) as PathElement]);
    if (v !== undefined) out.push(v);
  };
  const shared = rKeys.filter((k) => lByKey.has(k));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  let li = 0;
  let ri = 0;
  while (li < lKeys.length || ri < rKeys.length) {
    if (li < lKeys.length && ri < rKeys.length) {
      const key = lKeys[li] as string;
      if (key === rKeys[ri]) {
        merged.add(key);
        push(lByKey.get(key), rByKey.get(key), key);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rByKey.has(key) && nextShared !== undefined && nextShared !== key) {
        li++;
        continue;
      }
    }
    if (li < lKeys.length) {
      const key = lKeys[li] as string;
      if (!rByKey.has(key)) {
        push(l[li], undefined, key);
        li++;
        continue;
      }
      if (merged.has(key)) li++;
    }
    if (ri < rKeys.length) {
      const key = rKeys[ri] as string;
      merged.add(key);
      push(lByKey.get(key), rByKey.get(key), key);
      ri++;
      if (nextShared === key) nextShared = shared.shift();
    }
  }
  return out;
}

// ---------------------------------------------------------------- remove

/**
 * The object without the fields in `set`: a member removes the field, map
 * entry or list item with everything below it; maps and lists left empty
 * by the removal disappear. Atomic lists and maps are removed only whole.
 */
export function removeFields(obj: unknown, set: FieldSet, meta: PatchMeta): unknown {
  if (set.isEmpty()) return obj;
  return removeNode(obj, set, meta, []) ?? {};
}

function removeNode(v: unknown, set: FieldSet, meta: PatchMeta, path: Path): unknown {
  if (Array.isArray(v)) {
    const shape = listShape(meta);
    if (v.length === 0 || shape.type === "atomic") return v;
    const elem = elementsOf(meta);
    const out: unknown[] = [];
    for (const item of v) {
      const pe = itemElement(item, shape, path);
      if (set.hasMember(pe)) continue;
      const below = set.withPrefix(pe);
      const kept = below.isEmpty() ? item : removeNode(item, below, elem, [...path, pe]);
      if (kept !== undefined) out.push(kept);
    }
    return out.length > 0 ? out : undefined;
  }
  if (isObject(v)) {
    if (Object.keys(v).length === 0 || isAtomicMap(meta)) return v;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(v)) {
      const pe = fieldElement(key);
      if (set.hasMember(pe)) continue;
      const below = set.withPrefix(pe);
      const kept = below.isEmpty()
        ? child
        : removeNode(child, below, childOf(meta, key).meta, [...path, pe]);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return v;
}

/**
 * The set plus every named struct field that has owned fields below it, so
 * removing the set also removes a struct whose fields were all removed
 * (upstream's EnsureNamedFieldsAreMembers).
 */
export function withNamedFieldsAsMembers(set: FieldSet, meta: PatchMeta): FieldSet {
  const out = new FieldSet();
  addNamed(set, meta, [], out);
  return out;
}

function addNamed(set: FieldSet, meta: PatchMeta, prefix: Path, out: FieldSet): void {
  for (const pe of set.memberElements()) out.insert([...prefix, pe]);
  for (const [pe, child] of set.childEntries()) {
    const path = [...prefix, pe];
    if (pe.kind === "field" && isNamedField(meta, pe.name)) out.insert(path);
    addNamed(child, metaBelow(meta, pe), path, out);
  }
}

/** True for the metas that describe no schema (custom resources, unknown kinds). */
export function isUntyped(meta: PatchMeta): boolean {
  return meta === NO_PATCH_META || meta === DEDUCED_META;
}
