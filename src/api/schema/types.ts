/**
 * The subset of OpenAPI schema objects the generated definitions use. Refs
 * are written `#/definitions/<name>` (the OpenAPI v2 form); the v3 builder
 * rewrites them to `#/components/schemas/<name>`.
 */
export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

export interface SchemaObject {
  $ref?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: SchemaObject | boolean;
  "x-kubernetes-group-version-kind"?: GroupVersionKind[];
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
}

/** Definitions keyed by upstream definition name (io.k8s.api.core.v1.Pod). */
export type Definitions = Record<string, SchemaObject>;

/** The `#/definitions/` prefix of refs in the generated definitions. */
export const DEFINITIONS_REF_PREFIX = "#/definitions/";
