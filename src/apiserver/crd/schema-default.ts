/**
 * Defaulting of custom resources (apiextensions-apiserver's
 * pkg/apiserver/schema/defaulting): a property with a `default` that is
 * absent from its object gets a copy of the default, then defaulting goes
 * on below it (through properties, additionalProperties and items). As
 * upstream, a null in a field that is not nullable is replaced by the
 * default when there is one and dropped when there is none.
 */
import { isPlainObject, itemsSchema, type Schema } from "./schema-validate.js";

function walk(value: unknown, s: Schema | undefined): void {
  if (s === undefined) return;
  if (Array.isArray(value)) {
    const items = itemsSchema(s);
    if (items === undefined) return;
    for (const x of value) walk(x, items);
    return;
  }
  if (!isPlainObject(value)) return;
  const props = s.properties ?? {};
  for (const [key, raw] of Object.entries(props)) {
    const prop = raw as Schema;
    const has = Object.hasOwn(value, key);
    if (has && value[key] === null && prop.nullable !== true) {
      if (prop.default !== undefined) value[key] = structuredClone(prop.default);
      else delete value[key];
    } else if (!has && prop.default !== undefined) {
      value[key] = structuredClone(prop.default);
    }
  }
  const ap = s.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    const prop = props[key] as Schema | undefined;
    if (prop !== undefined) walk(child, prop);
    else if (typeof ap === "object" && ap !== null) {
      const aps = ap as Schema;
      if (child === null && aps.nullable !== true) {
        if (aps.default !== undefined) value[key] = structuredClone(aps.default);
        else delete value[key];
        continue;
      }
      walk(child, aps);
    }
  }
}

/** Applies the schema's defaults to a custom resource, in place. */
export function applyDefaults(obj: unknown, schema: Schema | undefined): void {
  walk(obj, schema);
}
