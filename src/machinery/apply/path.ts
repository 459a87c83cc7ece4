/**
 * Path elements of a field path, as server-side apply names the parts of an
 * object: a struct or map field (`f:name`), an associative list item by its
 * key fields (`k:{"name":"nginx"}`), a set member by value (`v:"x"`) or an
 * atomic list index (`i:0`, parsed but never produced).
 *
 * Elements have a total order (fields < keys < values < indexes, then by
 * content) so sets serialize and iterate in the same order upstream's do.
 */
import { isObject } from "../patch/json-value.js";
import { FieldsV1FormatError } from "./errors.js";

export type PathElement =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "key"; readonly fields: ReadonlyArray<readonly [string, unknown]> }
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "index"; readonly index: number };

export type Path = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { kind: "field", name };
}

/** A key element; fields are sorted by name as upstream keeps them. */
export function keyElement(fields: ReadonlyArray<readonly [string, unknown]>): PathElement {
  const sorted = [...fields].sort(([a], [b]) => compareStrings(a, b));
  return { kind: "key", fields: sorted };
}

export function valueElement(value: unknown): PathElement {
  return { kind: "value", value };
}

/** Byte-order string comparison (Go's strings.Compare for ASCII and BMP text). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rank of a JSON value's type in upstream's total order of values. */
function typeRank(v: unknown): number {
  if (typeof v === "number") return 0;
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return 2;
  if (Array.isArray(v)) return 3;
  if (isObject(v)) return 4;
  return 5; // null
}

/** Total order of JSON values: numbers < strings < bools < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort(compareStrings);
    const kb = Object.keys(b).sort(compareStrings);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const na = ka[i] as string;
      const nb = kb[i] as string;
      const c = compareStrings(na, nb) || compareValues(a[na], b[nb]);
      if (c !== 0) return c;
    }
    return Math.sign(ka.length - kb.length);
  }
  return 0;
}

const KIND_RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] < KIND_RANK[b.kind] ? -1 : 1;
  switch (a.kind) {
    case "field":
      return compareStrings(a.name, (b as typeof a).name);
    case "value":
      return compareValues(a.value, (b as typeof a).value);
    case "index":
      return Math.sign(a.index - (b as typeof a).index);
    case "key": {
      const bf = (b as typeof a).fields;
      for (let i = 0; i < Math.min(a.fields.length, bf.length); i++) {
        const [na, va] = a.fields[i] as readonly [string, unknown];
        const [nb, vb] = bf[i] as readonly [string, unknown];
        const c = compareStrings(na, nb) || compareValues(va, vb);
        if (c !== 0) return c;
      }
      return Math.sign(a.fields.length - bf.length);
    }
  }
}

/**
 * JSON text the way Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and
 * U+2029 escaped, map keys sorted.
 */
export function goJson(v: unknown): string {
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `{${keys.map((k) => `${goJson(k)}:${goJson(v[k])}`).join(",")}}`;
  }
  if (Array.isArray(v)) return `[${v.map(goJson).join(",")}]`;
  const text = JSON.stringify(v ?? null);
  return typeof v === "string" ? escapeGoString(text) : text;
}

function escapeGoString(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The FieldsV1 key of an element: `f:name`, `k:{...}`, `v:...`, `i:0`. */
export function serializeElement(pe: PathElement): string {
  switch (pe.kind) {
    case "field":
      return `f:${pe.name}`;
    case "key":
      return `k:{${pe.fields.map(([n, v]) => `${goJson(n)}:${goJson(v)}`).join(",")}}`;
    case "value":
      return `v:${goJson(pe.value)}`;
    case "index":
      return `i:${pe.index}`;
  }
}

/**
 * Parses a FieldsV1 key. Returns undefined for unknown element types, which
 * upstream drops silently (a newer server may know them).
 */
export function parseElement(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ":") throw new FieldsV1FormatError(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case "f":
      return fieldElement(body);
    case "v":
      return valueElement(parseJson(body, s));
    case "k": {
      const parsed = parseJson(body, s);
      if (!isObject(parsed)) throw new FieldsV1FormatError(`key element is not an object: ${s}`);
      return keyElement(Object.entries(parsed));
    }
    case "i": {
      if (!/^-?\d+$/.test(body)) throw new FieldsV1FormatError(`invalid index: ${s}`);
      return { kind: "index", index: Number(body) };
    }
    default:
      return undefined;
  }
}

function parseJson(text: string, element: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new FieldsV1FormatError(`invalid JSON in path element ${element}`, { cause });
  }
}

/** Go's `%v` of a value inside a path string: strings quoted, the rest plain. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(",")}]`;
  if (isObject(v)) {
    return Object.keys(v)
      .map((k) => `${k}=${valueString(v[k])}`)
      .join("");
  }
  return String(v);
}

/** Upstream's human form of an element: `.name`, `[name="x"]`, `[="v"]`, `[0]`. */
export function elementString(pe: PathElement): string {
  switch (pe.kind) {
    case "field":
      return `.${pe.name}`;
    case "key":
      return `[${pe.fields.map(([n, v]) => `${n}=${valueString(v)}`).join(",")}]`;
    case "value":
      return `[=${valueString(pe.value)}]`;
    case "index":
      return `[${pe.index}]`;
  }
}

/** Upstream's human form of a path: `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path.map(elementString).join("");
}
