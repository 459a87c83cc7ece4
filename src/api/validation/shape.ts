/**
 * Defensive readers for untyped JSON objects. Validation and defaulting run
 * on whatever a client sent, so a field of the wrong JSON type must read as
 * absent instead of throwing.
 */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value as an object, or an empty (detached) one. */
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** The value as an array, or an empty one. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value as an array of objects; non-objects read as `{}`. */
export function objList(v: unknown): Obj[] {
  return list(v).map(obj);
}

/** The value as a string, or "" (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The value as a number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The value as a string map, dropping non-string values. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

/** An array of strings from the value, dropping non-strings. */
export function strList(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

/** The child object at `key`, created when missing (for defaulting in place). */
export function child(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/** Sets `parent[key]` to `value` when it is undefined or null. */
export function setDefault(parent: Obj, key: string, value: unknown): void {
  if (parent[key] === undefined || parent[key] === null) parent[key] = value;
}

/** Sets `parent[key]` to `value` when it is missing or "" (Go's empty string). */
export function setDefaultString(parent: Obj, key: string, value: string): void {
  if (parent[key] === undefined || parent[key] === null || parent[key] === "") parent[key] = value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).every((k) => isEmpty(v[k]));
  return false;
}

/**
 * Upstream's semantic equality as it shows through JSON: a missing field,
 * null, "", [] and {} all compare equal (Go's nil and empty collections,
 * omitted zero strings); everything else compares by value.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObj(a) || isObj(b)) {
    if (!isObj(a) || !isObj(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

/** A deep copy of JSON data. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
