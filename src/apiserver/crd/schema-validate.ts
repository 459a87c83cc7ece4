/**
 * Validation of a custom resource against its version's structural schema,
 * the way apiextensions-apiserver's pkg/apiserver/validation does it: the
 * kube-openapi schema validator's failures turned into field errors
 * (Required value for `required`, Unsupported value for `enum`, Too long
 * for maxLength, Too many for maxItems/maxProperties, Invalid value with
 * kube-openapi's own sentence for everything else), so a 422 reads
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of
 * type integer: "string"`. The root's apiVersion, kind and metadata are not
 * the schema's business (the API server checks them like any kind's).
 */
import type { JSONSchemaProps } from "kubernetes-types/apiextensions/v1.js";
import {
  type FieldError,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from "../../machinery/field-errors.js";

/** A structural schema node, with the Kubernetes extensions kubernetes-types leaves out. */
export interface Schema
  extends Omit<JSONSchemaProps, "properties" | "items" | "additionalProperties"> {
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  additionalProperties?: Schema | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The schema of an object's property: `properties[key]`, else a schema `additionalProperties`. */
export function propertySchema(s: Schema, key: string): Schema | undefined {
  const p = s.properties?.[key];
  if (p !== undefined) return p as Schema;
  const ap = s.additionalProperties;
  if (typeof ap === "object" && ap !== null) return ap as Schema;
  return undefined;
}

/** The schema of an array's items (structural schemas have a single one). */
export function itemsSchema(s: Schema): Schema | undefined {
  const items = s.items;
  if (items === undefined) return undefined;
  return (Array.isArray(items) ? items[0] : items) as Schema | undefined;
}

/** kube-openapi's name of a JSON value's type. */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(v) ? "integer" : "number";
    default:
      return "object";
  }
}

/** Go's %v of a number as kube-openapi prints limits (1, 1.5). */
function num(n: number): string {
  return String(n);
}

/** strfmt's date-time layouts: RFC 3339, the offset with or without a colon, or none. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INT32 = { min: -2147483648, max: 2147483647 };

/** Month, day, hours, minutes and seconds within their ranges. */
function validDateParts(v: string): boolean {
  const [y, mo, d, h, mi, se] = [0, 5, 8, 11, 14, 17].map((i) =>
    Number(v.slice(i, i + (i === 0 ? 4 : 2))),
  );
  if (mo === undefined || d === undefined || y === undefined) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= days &&
    (h ?? 99) < 24 &&
    (mi ?? 99) < 60 &&
    (se ?? 99) < 61
  );
}

/** kube-openapi's string formats (the ones CRDs use in practice). */
function formatValid(format: string, v: string): boolean {
  switch (format) {
    case "date-time":
      return RFC3339.test(v) && validDateParts(v);
    case "date":
      return DATE.test(v) && !Number.isNaN(Date.parse(v));
    case "byte":
      return /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0;
    case "uuid":
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v);
    case "ipv4":
      return /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v);
    case "hostname":
      return (
        v.length <= 253 &&
        /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(
          v,
        )
      );
    default:
      return true;
  }
}

/** Deep equality of JSON values (enum membership, uniqueItems). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

class Validator {
  readonly errors: FieldError[] = [];

  private bad(path: string, value: unknown, message: string): void {
    this.errors.push(invalid(path, value === undefined ? "" : value, `${path} in body ${message}`));
  }

  value(v: unknown, s: Schema, path: string, root = false): void {
    if (v === null || v === undefined) {
      if (s.nullable || s.type === undefined || s.type === "") return;
      if (s["x-kubernetes-int-or-string"]) return;
      this.errors.push(
        typeInvalid(path, "null", `${path} in body must be of type ${s.type}: "null"`),
      );
      return;
    }
    if (!this.type(v, s, path)) return;
    if (s.enum !== undefined && s.enum.length > 0 && !s.enum.some((e) => jsonEqual(e, v))) {
      this.errors.push(
        notSupported(
          path,
          v,
          s.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))),
        ),
      );
    }
    if (typeof v === "string") this.string(v, s, path);
    else if (typeof v === "number") this.number(v, s, path);
    else if (Array.isArray(v)) this.array(v, s, path);
    else if (isPlainObject(v)) this.object(v, s, path, root);
  }

  /** The type check; false when the value's type is wrong (nothing more to check). */
  private type(v: unknown, s: Schema, path: string): boolean {
    const actual = typeName(v);
    if (s["x-kubernetes-int-or-string"]) {
      if (actual === "integer" || actual === "string") return true;
      this.errors.push(
        typeInvalid(
          path,
          actual,
          `${path} in body must be of type integer,string: ${JSON.stringify(actual)}`,
        ),
      );
      return false;
    }
    const want = s.type;
    if (want === undefined || want === "") return true;
    const ok = want === actual || (want === "number" && actual === "integer");
    if (!ok) {
      this.errors.push(
        typeInvalid(
          path,
          actual,
          `${path} in body must be of type ${want}: ${JSON.stringify(actual)}`,
        ),
      );
      return false;
    }
    if (want === "integer" && s.format === "int32" && typeof v === "number") {
      if (v < INT32.min || v > INT32.max) {
        this.errors.push(
          typeInvalid(
            path,
            v,
            `${path} in body must be of type int32: ${JSON.stringify(String(v))}`,
          ),
        );
        return false;
      }
    }
    return true;
  }

  private string(v: string, s: Schema, path: string): void {
    const length = [...v].length;
    if (s.maxLength !== undefined && length > s.maxLength) {
      this.errors.push(tooLong(path, v, s.maxLength));
    }
    if (s.minLength !== undefined && length < s.minLength) {
      this.bad(path, v, `should be at least ${s.minLength} chars long`);
    }
    if (s.pattern !== undefined) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(s.pattern, "u");
      } catch {
        re = undefined;
      }
      if (re !== undefined && !re.test(v)) this.bad(path, v, `should match '${s.pattern}'`);
    }
    if (s.format !== undefined && s.format !== "" && !formatValid(s.format, v)) {
      this.errors.push(
        typeInvalid(path, v, `${path} in body must be of type ${s.format}: ${JSON.stringify(v)}`),
      );
    }
  }

  private number(v: number, s: Schema, path: string): void {
    if (s.multipleOf !== undefined && s.multipleOf > 0) {
      const q = v / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) {
        this.bad(path, v, `should be a multiple of ${num(s.multipleOf)}`);
      }
    }
    if (s.maximum !== undefined) {
      if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum) {
        this.bad(
          path,
          v,
          s.exclusiveMaximum
            ? `should be less than ${num(s.maximum)}`
            : `should be less than or equal to ${num(s.maximum)}`,
        );
      }
    }
    if (s.minimum !== undefined) {
      if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum) {
        this.bad(
          path,
          v,
          s.exclusiveMinimum
            ? `should be greater than ${num(s.minimum)}`
            : `should be greater than or equal to ${num(s.minimum)}`,
        );
      }
    }
  }

  private array(v: unknown[], s: Schema, path: string): void {
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      this.errors.push(tooMany(path, v.length, s.maxItems));
    }
    if (s.minItems !== undefined && v.length < s.minItems) {
      this.bad(path, v, `should have at least ${s.minItems} items`);
    }
    const listType = s["x-kubernetes-list-type"];
    if (s.uniqueItems || listType === "set") {
      const dup = v.findIndex((x, i) => v.findIndex((y) => jsonEqual(x, y)) !== i);
      if (dup >= 0) {
        if (listType === "set")
          this.errors.push({
            type: "FieldValueDuplicate",
            field: `${path}[${dup}]`,
            badValue: v[dup],
          });
        else this.bad(path, v, "shouldn't contain duplicates");
      }
    }
    if (listType === "map") this.listMapKeys(v, s["x-kubernetes-list-map-keys"] ?? [], path);
    const items = itemsSchema(s);
    if (items !== undefined) {
      v.forEach((x, i) => {
        this.value(x, items, `${path}[${i}]`);
      });
    }
  }

  /** x-kubernetes-list-type=map: no two items with the same key values. */
  private listMapKeys(v: unknown[], keys: readonly string[], path: string): void {
    if (keys.length === 0) return;
    const seen: Record<string, unknown>[] = [];
    v.forEach((x, i) => {
      if (!isPlainObject(x)) return;
      const key: Record<string, unknown> = {};
      for (const k of keys) if (x[k] !== undefined) key[k] = x[k];
      if (seen.some((s) => jsonEqual(s, key))) {
        this.errors.push({ type: "FieldValueDuplicate", field: `${path}[${i}]`, badValue: key });
      } else {
        seen.push(key);
      }
    });
  }

  private object(v: Record<string, unknown>, s: Schema, path: string, root: boolean): void {
    const count = Object.keys(v).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) {
      this.errors.push({
        type: "FieldValueTooMany",
        field: path,
        badValue: count,
        detail: `must have at most ${s.maxProperties} items`,
      });
    }
    if (s.minProperties !== undefined && count < s.minProperties) {
      this.bad(path, v, `should have at least ${s.minProperties} properties`);
    }
    const skip = (key: string) =>
      (root || s["x-kubernetes-embedded-resource"] === true) &&
      (key === "apiVersion" || key === "kind" || key === "metadata");
    for (const key of s.required ?? []) {
      if (skip(key) && root) continue;
      if (!Object.hasOwn(v, key) || v[key] === undefined) {
        this.errors.push(required(join(path, key)));
      }
    }
    if (s["x-kubernetes-embedded-resource"] === true && !root) this.embedded(v, path);
    for (const [key, child] of Object.entries(v)) {
      if (root && skip(key)) continue;
      const cs = propertySchema(s, key);
      if (cs !== undefined) {
        this.value(child, cs, join(path, key));
      } else if (s.additionalProperties === false && s.properties !== undefined) {
        this.errors.push({
          type: "FieldValueForbidden",
          field: join(path, key),
          detail: `${join(path, key)} in body is a forbidden property`,
        });
      }
    }
  }

  /** x-kubernetes-embedded-resource: apiVersion and kind are required, metadata an object. */
  private embedded(v: Record<string, unknown>, path: string): void {
    for (const key of ["apiVersion", "kind"]) {
      const x = v[key];
      if (x === undefined || x === "")
        this.errors.push(required(join(path, key), "must not be empty"));
      else if (typeof x !== "string") {
        this.errors.push(
          typeInvalid(
            join(path, key),
            typeName(x),
            `${join(path, key)} in body must be of type string: ${JSON.stringify(typeName(x))}`,
          ),
        );
      }
    }
    const meta = v.metadata;
    if (meta !== undefined && meta !== null && !isPlainObject(meta)) {
      this.errors.push(
        typeInvalid(
          join(path, "metadata"),
          typeName(meta),
          `${join(path, "metadata")} in body must be of type object: ${JSON.stringify(typeName(meta))}`,
        ),
      );
    }
  }
}

/**
 * Field errors of a custom resource (the whole object, root apiVersion,
 * kind and metadata left to the API server) against its schema. An
 * undefined schema accepts anything.
 */
export function validateAgainstSchema(obj: unknown, schema: Schema | undefined): FieldError[] {
  if (schema === undefined) return [];
  const v = new Validator();
  v.value(obj, schema, "", true);
  return v.errors;
}

/** Validates one value at `path` (e.g. the status alone, or an embedded object). */
export function validateValue(value: unknown, schema: Schema, path: string): FieldError[] {
  const v = new Validator();
  v.value(value, schema, path);
  return v.errors;
}
