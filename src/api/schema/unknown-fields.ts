/**
 * Finds the fields of an object that its kind's schema does not declare, as
 * upstream's strict decoding reports them for fieldValidation=Strict/Warn:
 * dotted paths with list indexes (`spec.template.spec.containers[0].foo`),
 * in document order. Maps (labels, resources.limits, ...) accept any key;
 * free-form values (RawExtension, FieldsV1, JSON, IntOrString, Quantity)
 * accept anything. Type mismatches are not this function's business.
 */
import { definitionForKind, type KindRef, resolveSchema as resolve } from "./lookup.js";
import type { SchemaObject } from "./types.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

/** Called for each unknown field: the object holding it, its key, its path. */
type OnUnknown = (holder: Record<string, unknown>, key: string, path: string) => void;

function walk(value: unknown, schema: SchemaObject, at: { path: string; on: OnUnknown }): void {
  const s = resolve(schema);
  if (s === undefined || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    const items = s.items;
    if (items === undefined) return;
    value.forEach((item, i) => {
      walk(item, items, { path: `${at.path}[${i}]`, on: at.on });
    });
    return;
  }
  if (!isPlainObject(value)) return;
  if (s.properties !== undefined) {
    for (const [key, child] of Object.entries(value)) {
      const prop = s.properties[key];
      const path = join(at.path, key);
      if (prop === undefined) at.on(value, key, path);
      else walk(child, prop, { path, on: at.on });
    }
    return;
  }
  const values = s.additionalProperties;
  if (typeof values === "object") {
    for (const [key, child] of Object.entries(value)) {
      walk(child, values, { path: join(at.path, key), on: at.on });
    }
  }
}

/**
 * Paths of the fields in `obj` that the schema of group/version/kind does
 * not declare; empty when the kind has no definition (custom resources are
 * checked against their own schema elsewhere).
 */
export function unknownFields(obj: unknown, gvk: KindRef): string[] {
  const def = definitionForKind(gvk);
  if (def === undefined) return [];
  const out: string[] = [];
  walk(obj, def, { path: "", on: (_holder, _key, path) => out.push(path) });
  return out;
}

/**
 * Deletes, in place, the fields unknownFields would report: what upstream's
 * decoder drops when it reads a typed object. Kinds without a definition
 * are left alone.
 */
export function pruneUnknownFields(obj: unknown, gvk: KindRef): void {
  const def = definitionForKind(gvk);
  if (def === undefined) return;
  const found: Array<[Record<string, unknown>, string]> = [];
  walk(obj, def, { path: "", on: (holder, key) => found.push([holder, key]) });
  for (const [holder, key] of found) delete holder[key];
}
