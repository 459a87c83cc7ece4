/**
 * Selecting and converting the generated definitions for the OpenAPI
 * documents: the closure of definitions a set of operations references, and
 * the v3 form of a definition (refs under #/components/schemas, union types
 * as oneOf, refs with sibling keywords wrapped in allOf as upstream does).
 */
import { DEFINITIONS, DEFINITIONS_REF_PREFIX, type SchemaObject } from "../../api/schema/index.js";

export const V3_REF_PREFIX = "#/components/schemas/";

/** Names of every definition the given ones reference, directly or not, sorted. */
export function definitionClosure(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const visit = (s: SchemaObject | undefined): void => {
    if (s === undefined) return;
    if (s.$ref !== undefined) add(s.$ref.slice(DEFINITIONS_REF_PREFIX.length));
    visit(s.items);
    if (typeof s.additionalProperties === "object") visit(s.additionalProperties);
    for (const p of Object.values(s.properties ?? {})) visit(p);
  };
  const add = (name: string): void => {
    if (seen.has(name)) return;
    const def = DEFINITIONS[name];
    if (def === undefined) return;
    seen.add(name);
    visit(def);
  };
  for (const r of roots) add(r);
  return [...seen].sort();
}

/** v3 has real union types: these scalars become oneOf, as upstream serves them. */
const V3_OVERRIDES: Record<string, Record<string, unknown>> = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
    format: "int-or-string",
    oneOf: [{ type: "integer" }, { type: "string" }],
  },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {
    oneOf: [{ type: "string" }, { type: "number" }],
  },
};

function toV3(schema: SchemaObject, isProperty: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref") continue;
    if (key === "properties" && value !== undefined) {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject>).map(([k, v]) => [k, toV3(v, true)]),
      );
    } else if (key === "items") {
      out.items = toV3(value as SchemaObject, false);
    } else if (key === "additionalProperties" && typeof value === "object") {
      out.additionalProperties = toV3(value as SchemaObject, false);
    } else {
      out[key] = value;
    }
  }
  if (schema.$ref !== undefined) {
    const ref = { $ref: V3_REF_PREFIX + schema.$ref.slice(DEFINITIONS_REF_PREFIX.length) };
    // A $ref ignores its siblings in OpenAPI 3.0; upstream wraps it in allOf.
    if (isProperty && Object.keys(out).length > 0) return { allOf: [ref], ...out };
    return ref;
  }
  return out;
}

/** A definition in its OpenAPI v3 form. */
export function v3Schema(name: string): Record<string, unknown> | undefined {
  const def = DEFINITIONS[name];
  if (def === undefined) return undefined;
  const override = V3_OVERRIDES[name];
  if (override !== undefined) {
    return def.description === undefined ? override : { description: def.description, ...override };
  }
  return toV3(def, false);
}
