/** Lookups over the generated definitions shared by the schema helpers. */
import { DEFINITIONS } from "./definitions.js";
import type { SchemaObject } from "./types.js";
import { DEFINITIONS_REF_PREFIX } from "./types.js";

/** A kind's identity: group ("" for core), version and kind. */
export interface KindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

let byGvk: Map<string, string> | undefined;

/** The definition name whose x-kubernetes-group-version-kind lists this kind. */
export function definitionNameForKind(gvk: KindRef): string | undefined {
  if (byGvk === undefined) {
    byGvk = new Map();
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      for (const g of def["x-kubernetes-group-version-kind"] ?? []) {
        const key = `${g.group}/${g.version}/${g.kind}`;
        if (!byGvk.has(key)) byGvk.set(key, name);
      }
    }
  }
  return byGvk.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
}

/** The definition of a kind (Pod, Deployment, ...), or undefined for kinds without one. */
export function definitionForKind(gvk: KindRef): SchemaObject | undefined {
  const name = definitionNameForKind(gvk);
  return name === undefined ? undefined : DEFINITIONS[name];
}

/** Follows a `#/definitions/` ref (the generated definitions never chain refs). */
export function resolveSchema(schema: SchemaObject): SchemaObject | undefined {
  if (schema.$ref === undefined) return schema;
  return DEFINITIONS[schema.$ref.slice(DEFINITIONS_REF_PREFIX.length)];
}
