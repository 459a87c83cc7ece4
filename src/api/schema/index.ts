/**
 * The built-in kinds' schema, generated from the kubernetes-types
 * declarations (scripts/gen-schema.ts), and the questions the API server
 * asks of it: which definition describes a kind, how its lists merge in a
 * strategic merge patch, which fields of an object the schema does not know.
 * Pure: the definitions are a module constant.
 */
export { DEFINITIONS } from "./definitions.js";
export {
  definitionForKind,
  definitionNameForKind,
  type KindRef,
  resolveSchema,
} from "./lookup.js";
export { patchMetaFor } from "./patch-meta.js";
export type { Definitions, GroupVersionKind, SchemaObject } from "./types.js";
export { DEFINITIONS_REF_PREFIX } from "./types.js";
export { pruneUnknownFields, unknownFields } from "./unknown-fields.js";
