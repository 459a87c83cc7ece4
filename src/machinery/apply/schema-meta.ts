/**
 * ApplyMeta from OpenAPI definitions: PatchMeta's facts plus the list-map
 * keys and atomic maps apply needs. Takes the schema shapes structurally
 * (src/api/schema's SchemaObject and resolveSchema fit), so this module does
 * not depend on the API layer:
 *
 *   applyMetaFromSchema(definitionForKind(gvk), resolveSchema)
 */
import { NO_PATCH_META } from "../patch/meta.js";
import type { ApplyMeta } from "./typed.js";

/** The parts of an OpenAPI schema node apply reads. */
export interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
}

export type ResolveSchema = (schema: SchemaNode) => SchemaNode | undefined;

/** The meta of a kind's root schema; NO_PATCH_META when there is none. */
export function applyMetaFromSchema(
  root: SchemaNode | undefined,
  resolve: ResolveSchema,
): ApplyMeta {
  if (root === undefined) return NO_PATCH_META;
  const cache = new WeakMap<SchemaNode, ApplyMeta>();
  const metaOf = (node: SchemaNode): ApplyMeta => {
    const cached = cache.get(node);
    if (cached !== undefined) return cached;
    const target = resolve(node);
    const ext = <K extends keyof SchemaNode>(key: K): SchemaNode[K] | undefined =>
      node[key] ?? target?.[key];
    const mergeKey = ext("x-kubernetes-patch-merge-key");
    const patchStrategy = ext("x-kubernetes-patch-strategy");
    const listType = ext("x-kubernetes-list-type");
    const listMapKeys = ext("x-kubernetes-list-map-keys");
    const mapType = ext("x-kubernetes-map-type");
    const meta: ApplyMeta = {
      field(name: string) {
        const prop = target?.properties?.[name];
        return prop === undefined ? undefined : metaOf(prop);
      },
      elements() {
        if (target?.items !== undefined) return metaOf(target.items);
        const values = target?.additionalProperties;
        return typeof values === "object" ? metaOf(values) : undefined;
      },
      ...(mergeKey !== undefined ? { mergeKey } : {}),
      ...(patchStrategy !== undefined ? { patchStrategy } : {}),
      ...(listType !== undefined ? { listType } : {}),
      ...(listMapKeys !== undefined ? { listMapKeys } : {}),
      ...(mapType !== undefined ? { mapType } : {}),
    };
    cache.set(node, meta);
    return meta;
  };
  return metaOf(root);
}
