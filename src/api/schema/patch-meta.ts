/**
 * PatchMeta (src/machinery/patch/meta.ts) over the generated definitions:
 * the merge key, patch strategy and list type of each field, as strategic
 * merge patch and server-side apply need them.
 */
import { NO_PATCH_META, type PatchMeta } from "../../machinery/patch/meta.js";
import { definitionForKind, type KindRef, resolveSchema as resolve } from "./lookup.js";
import type { SchemaObject } from "./types.js";

const cache = new WeakMap<SchemaObject, PatchMeta>();

/** The patch facts of one schema node (a property, list item or map value). */
function metaOf(schema: SchemaObject): PatchMeta {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  const mergeKey = schema["x-kubernetes-patch-merge-key"];
  const patchStrategy = schema["x-kubernetes-patch-strategy"];
  const listType = schema["x-kubernetes-list-type"];
  const meta: PatchMeta = {
    field(name: string): PatchMeta | undefined {
      const prop = resolve(schema)?.properties?.[name];
      return prop === undefined ? undefined : metaOf(prop);
    },
    elements(): PatchMeta | undefined {
      const target = resolve(schema);
      if (target?.items !== undefined) return metaOf(target.items);
      const values = target?.additionalProperties;
      return typeof values === "object" ? metaOf(values) : undefined;
    },
    ...(mergeKey !== undefined ? { mergeKey } : {}),
    ...(patchStrategy !== undefined ? { patchStrategy } : {}),
    ...(listType !== undefined ? { listType } : {}),
  };
  cache.set(schema, meta);
  return meta;
}

/**
 * The patch facts of a built-in kind; NO_PATCH_META (lists replaced whole)
 * for kinds without a definition, such as custom resources.
 */
export function patchMetaFor(gvk: KindRef): PatchMeta {
  const def = definitionForKind(gvk);
  return def === undefined ? NO_PATCH_META : metaOf(def);
}
