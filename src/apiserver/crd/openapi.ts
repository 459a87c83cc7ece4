/**
 * OpenAPI for custom resources, in the manner of apiextensions-apiserver's
 * pkg/controller/openapi/builder: for each served version a definition
 * named after the reversed group (`com.example.stable.v1.CronTab`) from the
 * version's schema, with apiVersion, kind and metadata (a ref to
 * ObjectMeta) filled in and x-kubernetes-group-version-kind set, its List
 * definition, and the REST paths of the resource (so kubectl finds a PATCH
 * operation with a `fieldValidation` parameter and validates server-side,
 * and `kubectl explain` finds the kind). Custom resources accept JSON
 * patch, merge patch and apply patch, never strategic merge patch.
 *
 * The v2 form drops what swagger 2.0 cannot say (nullable, and types of
 * nullable or int-or-string fields, anyOf/oneOf/allOf/not), as upstream's
 * v2 conversion does. The v2 protobuf form is not built here.
 */
import type { ResourceDescriptor } from "../../api/resources.js";
import type { GroupVersionKind } from "../../api/schema/index.js";
import { openAPIHash } from "../openapi/hash.js";
import { groupVersionPath, type PathItem, resourcePaths } from "../openapi/operations.js";
import { definitionClosure, V3_REF_PREFIX, v3Schema } from "../openapi/schemas.js";
import { v2PathItem } from "../openapi/v2.js";
import { v3Document, v3Paths } from "../openapi/v3.js";
import type { CustomResourceVersion } from "./types.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const V2_REF = "#/definitions/";

/** The patch types custom resources accept (no strategic merge patch). */
export const CR_PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/apply-patch+yaml",
] as const;

const API_VERSION_DESCRIPTION =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DESCRIPTION =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DESCRIPTION =
  "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/** `stable.example.com`, `v1`, `CronTab` → `com.example.stable.v1.CronTab` (upstream's ToRESTFriendlyName). */
export function crDefinitionName(group: string, version: string, kind: string): string {
  return [...group.split(".").reverse(), version, kind].join(".");
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Recursively maps every schema node below (properties, items, additionalProperties). */
function mapSchema(s: Json, f: (node: Json) => Json): Json {
  const out = f({ ...s });
  if (isObject(out.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, isObject(v) ? mapSchema(v, f) : v]),
    );
  }
  if (isObject(out.items)) out.items = mapSchema(out.items, f);
  if (isObject(out.additionalProperties)) {
    out.additionalProperties = mapSchema(out.additionalProperties, f);
  }
  return out;
}

/** Upstream's v2 conversion: what swagger 2.0 (and kubectl's v2 validation) cannot express goes. */
function toV2Node(node: Json): Json {
  if (node.nullable === true || node["x-kubernetes-int-or-string"] === true) {
    delete node.type;
    delete node.items;
  }
  delete node.nullable;
  for (const k of ["anyOf", "oneOf", "allOf", "not", "x-kubernetes-validations"]) delete node[k];
  return node;
}

function gvkList(cr: CustomResourceVersion, kind: string): GroupVersionKind[] {
  return [{ group: cr.descriptor.group, kind, version: cr.descriptor.version }];
}

/** The object and list definitions of one custom resource version, by name. */
function definitions(cr: CustomResourceVersion, form: "v2" | "v3"): Record<string, Json> {
  const { group, version, kind } = cr.descriptor;
  const name = crDefinitionName(group, version, kind);
  const ref = (n: string) => (form === "v2" ? V2_REF : V3_REF_PREFIX) + n;
  let schema: Json = isObject(cr.schema) ? structuredClone(cr.schema as Json) : { type: "object" };
  if (form === "v2") schema = mapSchema(schema, toV2Node);
  const props: Json = isObject(schema.properties) ? { ...schema.properties } : {};
  props.apiVersion = { description: API_VERSION_DESCRIPTION, type: "string" };
  props.kind = { description: KIND_DESCRIPTION, type: "string" };
  props.metadata =
    form === "v2"
      ? { $ref: ref(`${META}.ObjectMeta`), description: METADATA_DESCRIPTION }
      : { allOf: [{ $ref: ref(`${META}.ObjectMeta`) }], description: METADATA_DESCRIPTION };
  const object: Json = {
    ...schema,
    type: "object",
    properties: Object.fromEntries(
      Object.keys(props)
        .sort()
        .map((k) => [k, props[k]]),
    ),
    "x-kubernetes-group-version-kind": gvkList(cr, kind),
  };
  const list: Json = {
    description: `${kind}List is a list of ${kind}`,
    required: ["items"],
    type: "object",
    properties: {
      apiVersion: { description: API_VERSION_DESCRIPTION, type: "string" },
      items: {
        description: `List of ${cr.descriptor.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: ref(name) },
        type: "array",
      },
      kind: { description: KIND_DESCRIPTION, type: "string" },
      metadata:
        form === "v2"
          ? { $ref: ref(`${META}.ListMeta`), description: LIST_METADATA_DESCRIPTION }
          : { allOf: [{ $ref: ref(`${META}.ListMeta`) }], description: LIST_METADATA_DESCRIPTION },
    },
    "x-kubernetes-group-version-kind": gvkList(cr, `${kind}List`),
  };
  return { [name]: object, [`${name}List`]: list };
}

// --- paths ---

/** The REST paths of one custom resource version, in the neutral operation form. */
export function crPaths(d: ResourceDescriptor): PathItem[] {
  const definition = crDefinitionName(d.group, d.version, d.kind);
  return resourcePaths(d, {
    definition,
    listDefinition: `${definition}List`,
    customResource: { patchContentTypes: CR_PATCH_CONTENT_TYPES },
  });
}

function sortObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k] as T]),
  );
}

/**
 * The swagger 2.0 document of the built-ins (`base`, as the built-in
 * builder made it) with the custom resources' definitions and paths added.
 * `base` is not changed.
 */
export function withCustomResourcesV2(
  base: Record<string, unknown>,
  crs: readonly CustomResourceVersion[],
): Record<string, unknown> {
  const paths: Record<string, unknown> = { ...(isObject(base.paths) ? base.paths : {}) };
  const defs: Record<string, unknown> = { ...(isObject(base.definitions) ? base.definitions : {}) };
  for (const cr of crs) {
    Object.assign(defs, definitions(cr, "v2"));
    for (const item of crPaths(cr.descriptor)) paths[item.path] = v2PathItem(item);
  }
  return { ...base, paths: sortObject(paths), definitions: sortObject(defs) };
}

/** `apis/stable.example.com/v1` for each group-version the custom resources serve. */
export function crGroupVersionPaths(crs: readonly CustomResourceVersion[]): string[] {
  return [...new Set(crs.map((cr) => groupVersionPath(cr.descriptor)))].sort();
}

/**
 * The OpenAPI 3.0 document of one custom resource group-version
 * (`apis/stable.example.com/v1`), or undefined when no custom resource is
 * served there.
 */
export function customResourceV3Document(
  crs: readonly CustomResourceVersion[],
  gvPath: string,
): Record<string, unknown> | undefined {
  const key = gvPath.replace(/^\/+/, "");
  const members = crs.filter((cr) => groupVersionPath(cr.descriptor) === key);
  if (members.length === 0) return undefined;
  const refs = new Set<string>([`${META}.ObjectMeta`, `${META}.ListMeta`]);
  const paths = v3Paths(
    members.flatMap((cr) => crPaths(cr.descriptor)),
    refs,
  );
  const own: Record<string, unknown> = {};
  for (const cr of members) Object.assign(own, definitions(cr, "v3"));
  const schemas: Record<string, unknown> = { ...own };
  for (const name of definitionClosure([...refs].filter((r) => !(r in own)))) {
    schemas[name] = v3Schema(name);
  }
  return v3Document(paths, sortObject(schemas));
}

/** The /openapi/v3 root with the custom resources' group-versions added (hash in each URL). */
export function withCustomResourcesV3Root(
  base: { paths?: Record<string, { serverRelativeURL: string }> },
  crs: readonly CustomResourceVersion[],
  documentFor: (gvPath: string) => Record<string, unknown> | undefined = (gv) =>
    customResourceV3Document(crs, gv),
): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths = { ...(base.paths ?? {}) };
  for (const gv of crGroupVersionPaths(crs)) {
    const doc = documentFor(gv);
    if (doc !== undefined) {
      paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${openAPIHash(doc)}` };
    }
  }
  return { paths: sortObject(paths) };
}
