/**
 * The FieldsV1 format of metadata.managedFields[].fieldsV1: a trie of path
 * elements (`f:<field>`, `k:{<key fields>}`, `v:<value>`, `i:<index>`)
 * where `{}` marks a member leaf and `".": {}` marks a node that is both a
 * member and a prefix of members:
 *
 *   {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
 *    "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{}}}}}
 *
 * Also the two questions managed fields ask of objects: which fields an
 * object sets, and which fields changed between two objects.
 */

import { isObject, type JsonObject } from "../patch/json-value.js";
import type { PatchMeta } from "../patch/meta.js";
import { FieldsV1FormatError } from "./errors.js";
import { compareElements, type Path, parseElement, serializeElement } from "./path.js";
import { FieldSet } from "./set.js";
import { type Comparison, compareObjects, fieldSetOf } from "./typed.js";

export type FieldsV1 = { [key: string]: FieldsV1 };

/** The FieldsV1 object of a set, keys in upstream's order. */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  const members = set.memberElements();
  const children = set.childEntries();
  if (includeSelf && (members.length > 0 || children.length > 0)) out["."] = {};
  let mi = 0;
  let ci = 0;
  while (mi < members.length || ci < children.length) {
    const m = members[mi];
    const c = children[ci];
    const order = m === undefined ? 1 : c === undefined ? -1 : compareElements(m, c[0]);
    if (order < 0 && m !== undefined) {
      out[serializeElement(m)] = {};
      mi++;
    } else if (order > 0 && c !== undefined) {
      out[serializeElement(c[0])] = emit(c[1], false);
      ci++;
    } else if (c !== undefined) {
      out[serializeElement(c[0])] = emit(c[1], true);
      mi++;
      ci++;
    }
  }
  return out;
}

/**
 * Parses a FieldsV1 object (or its JSON text). Unknown element types are
 * dropped as upstream does; anything that is not a trie of objects throws
 * FieldsV1FormatError.
 */
export function fromFieldsV1(fields: unknown): FieldSet {
  const value = typeof fields === "string" ? parseText(fields) : fields;
  if (!isObject(value)) throw new FieldsV1FormatError("fieldsV1 must be a JSON object");
  const set = new FieldSet();
  read(value, [], set);
  return set;
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new FieldsV1FormatError("fieldsV1 is not valid JSON", { cause });
  }
}

/** Reads one trie level below `prefix`; returns whether any member or child was found. */
function read(node: JsonObject, prefix: Path, set: FieldSet): boolean {
  let found = false;
  for (const [key, child] of Object.entries(node)) {
    if (key === ".") continue;
    if (!isObject(child))
      throw new FieldsV1FormatError(`fieldsV1 entry ${JSON.stringify(key)} is not an object`);
    const pe = parseElement(key);
    if (pe === undefined) continue;
    const path = [...prefix, pe];
    const hasChildren = read(child, path, set);
    if (!hasChildren || Object.hasOwn(child, ".")) set.insert(path);
    found = true;
  }
  return found;
}

/** The fields an object sets (its owned leaves and associative items), per its kind's meta. */
export function fieldsOf(obj: unknown, meta: PatchMeta): FieldSet {
  return fieldSetOf(obj, meta);
}

/** What changed from `prev` to `next`: added, modified and removed field sets. */
export function changedFields(
  prev: unknown,
  next: unknown,
  meta: PatchMeta,
): Comparison & { all: FieldSet } {
  const cmp = compareObjects(prev, next, meta);
  return { ...cmp, all: cmp.added.union(cmp.modified).union(cmp.removed) };
}

export type { Comparison };
