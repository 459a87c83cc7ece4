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
import {
  groupIdentifier,
  groupVersionPath,
  groupVersionPrefix,
  groupVersionTag,
  type Operation,
  type Parameter,
  type PathItem,
  RESPONSE_CONTENT_TYPES,
  WATCH_CONTENT_TYPES,
} from "../openapi/operations.js";
import { definitionClosure, V3_REF_PREFIX, v3Schema } from "../openapi/schemas.js";
import { OPENAPI_INFO } from "../openapi/v2.js";
import type { CustomResourceVersion } from "./types.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const V2_REF = "#/definitions/";
const CODE_TEXT = { "200": "OK", "201": "Created", "202": "Accepted" } as const;

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

const q = (name: string, type: Parameter["type"], description: string): Parameter => ({
  name,
  in: "query",
  type,
  description,
});
const PRETTY = q("pretty", "string", "If 'true', the output is indented for reading.");
const DRY_RUN = q("dryRun", "string", "All: run every stage of the request but persist nothing.");
const FIELD_MANAGER = q(
  "fieldManager",
  "string",
  "Name of the actor making the change, recorded in managedFields.",
);
const FIELD_VALIDATION = q(
  "fieldValidation",
  "string",
  "How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.",
);
const FORCE = q("force", "boolean", "Take over fields other managers own (apply patches only).");
const LIST_PARAMS: readonly Parameter[] = [
  q("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events in a watch."),
  q("continue", "string", "The continue token from a previous page of a list."),
  q("fieldSelector", "string", "Restrict results to objects whose fields match."),
  q("labelSelector", "string", "Restrict results to objects whose labels match."),
  q("limit", "integer", "The most items to return in one page."),
  q("resourceVersion", "string", "Which version of the data to serve or watch from."),
  q("resourceVersionMatch", "string", "How resourceVersion is applied: Exact or NotOlderThan."),
  q("sendInitialEvents", "boolean", "Start a watch with synthetic events for existing objects."),
  q("timeoutSeconds", "integer", "End a list or watch call after this many seconds."),
  q("watch", "boolean", "Stream changes instead of returning a list."),
];
const DELETE_PARAMS: readonly Parameter[] = [
  DRY_RUN,
  q("gracePeriodSeconds", "integer", "Seconds to wait before the object is deleted."),
  q("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
  q(
    "propagationPolicy",
    "string",
    "Garbage collection of dependents: Orphan, Background or Foreground.",
  ),
];
const WRITE_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const PATCH_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];
const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: "path",
  type: "string",
  description,
  required: true,
});

/** The REST paths of one custom resource version, in the neutral operation form. */
export function crPaths(d: ResourceDescriptor): PathItem[] {
  const id = `${groupIdentifier(d.group)}${d.version.charAt(0).toUpperCase()}${d.version.slice(1)}`;
  const def = crDefinitionName(d.group, d.version, d.kind);
  const listDef = `${def}List`;
  const gvk = { group: d.group, kind: d.kind, version: d.version };
  const tag = groupVersionTag(d.group, d.version);
  const has = (v: string) => (d.verbs as readonly string[]).includes(v);
  const scope = d.namespaced ? "Namespaced" : "";
  const prefix = groupVersionPrefix(d);
  const base = `${prefix}${d.namespaced ? "/namespaces/{namespace}" : ""}/${d.plural}`;
  const nsParams = d.namespaced ? [pathParam("namespace", "The namespace of the object.")] : [];
  const o = (
    path: string,
    spec: Omit<Operation, "tag" | "gvk" | "path"> & { gvk?: GroupVersionKind },
  ): Operation => ({
    tag,
    gvk: spec.gvk ?? gvk,
    path,
    ...spec,
  });
  const out: PathItem[] = [];
  const collection: Operation[] = [];
  if (has("list")) {
    collection.push(
      o(base, {
        method: "get",
        action: "list",
        operationId: `list${id}${scope}${d.kind}`,
        description: `list objects of kind ${d.kind}`,
        parameters: LIST_PARAMS,
        response: listDef,
        codes: ["200"],
        streaming: true,
      }),
    );
  }
  if (has("create")) {
    collection.push(
      o(base, {
        method: "post",
        action: "post",
        operationId: `create${id}${scope}${d.kind}`,
        description: `create a ${d.kind}`,
        parameters: WRITE_PARAMS,
        body: { kind: "object", definition: def },
        response: def,
        codes: ["200", "201", "202"],
      }),
    );
  }
  if (has("deletecollection")) {
    collection.push(
      o(base, {
        method: "delete",
        action: "deletecollection",
        operationId: `delete${id}Collection${scope}${d.kind}`,
        description: `delete collection of ${d.kind}`,
        parameters: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== "watch")],
        body: { kind: "object", definition: `${META}.DeleteOptions` },
        response: `${META}.Status`,
        codes: ["200"],
      }),
    );
  }
  if (collection.length > 0)
    out.push({ path: base, parameters: [...nsParams, PRETTY], operations: collection });
  const named = `${base}/{name}`;
  const item: Operation[] = [];
  if (has("get")) {
    item.push(
      o(named, {
        method: "get",
        action: "get",
        operationId: `read${id}${scope}${d.kind}`,
        description: `read the specified ${d.kind}`,
        parameters: [],
        response: def,
        codes: ["200"],
      }),
    );
  }
  if (has("update")) {
    item.push(
      o(named, {
        method: "put",
        action: "put",
        operationId: `replace${id}${scope}${d.kind}`,
        description: `replace the specified ${d.kind}`,
        parameters: WRITE_PARAMS,
        body: { kind: "object", definition: def },
        response: def,
        codes: ["200", "201"],
      }),
    );
  }
  if (has("patch")) {
    item.push(
      o(named, {
        method: "patch",
        action: "patch",
        operationId: `patch${id}${scope}${d.kind}`,
        description: `partially update the specified ${d.kind}`,
        parameters: PATCH_PARAMS,
        body: { kind: "patch" },
        response: def,
        codes: ["200", "201"],
      }),
    );
  }
  if (has("delete")) {
    item.push(
      o(named, {
        method: "delete",
        action: "delete",
        operationId: `delete${id}${scope}${d.kind}`,
        description: `delete a ${d.kind}`,
        parameters: DELETE_PARAMS,
        body: { kind: "object", definition: `${META}.DeleteOptions` },
        response: `${META}.Status`,
        codes: ["200", "202"],
      }),
    );
  }
  const itemParams = [pathParam("name", `name of the ${d.kind}`), ...nsParams, PRETTY];
  if (item.length > 0) out.push({ path: named, parameters: itemParams, operations: item });
  for (const sub of d.subresources) {
    if (sub !== "status" && sub !== "scale") continue;
    const scale = sub === "scale";
    const subGvk = scale ? { group: "autoscaling", kind: "Scale", version: "v1" } : gvk;
    const subDef = scale ? "io.k8s.api.autoscaling.v1.Scale" : def;
    const suffix = scale ? "Scale" : "Status";
    const what = `${sub} of the specified ${d.kind}`;
    const path = `${named}/${sub}`;
    out.push({
      path,
      parameters: itemParams,
      operations: [
        o(path, {
          gvk: subGvk,
          method: "get",
          action: "get",
          operationId: `read${id}${scope}${d.kind}${suffix}`,
          description: `read ${what}`,
          parameters: [],
          response: subDef,
          codes: ["200"],
        }),
        o(path, {
          gvk: subGvk,
          method: "put",
          action: "put",
          operationId: `replace${id}${scope}${d.kind}${suffix}`,
          description: `replace ${what}`,
          parameters: WRITE_PARAMS,
          body: { kind: "object", definition: subDef },
          response: subDef,
          codes: ["200", "201"],
        }),
        o(path, {
          gvk: subGvk,
          method: "patch",
          action: "patch",
          operationId: `patch${id}${scope}${d.kind}${suffix}`,
          description: `partially update ${what}`,
          parameters: PATCH_PARAMS,
          body: { kind: "patch" },
          response: subDef,
          codes: ["200", "201"],
        }),
      ],
    });
  }
  if (d.namespaced && has("list")) {
    const all = `${prefix}/${d.plural}`;
    out.push({
      path: all,
      parameters: [PRETTY, ...LIST_PARAMS],
      operations: [
        o(all, {
          method: "get",
          action: "list",
          operationId: `list${id}${d.kind}ForAllNamespaces`,
          description: `list objects of kind ${d.kind}`,
          parameters: [],
          response: listDef,
          codes: ["200"],
          streaming: true,
        }),
      ],
    });
  }
  return out;
}

function v2Parameter(p: Parameter): Json {
  return {
    uniqueItems: true,
    type: p.type,
    description: p.description,
    name: p.name,
    in: p.in,
    ...(p.required === true ? { required: true } : {}),
  };
}

function v2Operation(op: Operation): Json {
  const params = op.parameters.map(v2Parameter);
  if (op.body !== undefined) {
    const target = op.body.kind === "patch" ? `${META}.Patch` : op.body.definition;
    params.unshift({
      name: "body",
      in: "body",
      ...(op.method !== "delete" ? { required: true } : {}),
      schema: { $ref: V2_REF + target },
    });
  }
  const responses: Json = {};
  for (const code of op.codes) {
    responses[code] = { description: CODE_TEXT[code], schema: { $ref: V2_REF + op.response } };
  }
  responses["401"] = { description: "Unauthorized" };
  return {
    description: op.description,
    consumes: op.body?.kind === "patch" ? [...CR_PATCH_CONTENT_TYPES] : ["*/*"],
    produces: op.streaming === true ? [...WATCH_CONTENT_TYPES] : [...RESPONSE_CONTENT_TYPES],
    schemes: ["https"],
    tags: [op.tag],
    operationId: op.operationId,
    ...(params.length > 0 ? { parameters: params } : {}),
    responses,
    "x-kubernetes-action": op.action,
    "x-kubernetes-group-version-kind": op.gvk,
  };
}

function v3Parameter(p: Parameter): Json {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required === true ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

function content(types: readonly string[], schema: unknown): Json {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function v3Operation(op: Operation, refs: Set<string>): Json {
  const out: Json = { description: op.description, operationId: op.operationId };
  if (op.parameters.length > 0) out.parameters = op.parameters.map(v3Parameter);
  if (op.body !== undefined) {
    const target = op.body.kind === "patch" ? `${META}.Patch` : op.body.definition;
    refs.add(target);
    const schema = { $ref: V3_REF_PREFIX + target };
    out.requestBody =
      op.body.kind === "patch"
        ? { content: content(CR_PATCH_CONTENT_TYPES, schema), required: true }
        : {
            content: content(["*/*"], schema),
            ...(op.method !== "delete" ? { required: true } : {}),
          };
  }
  if (op.response !== undefined) refs.add(op.response);
  const types = op.streaming === true ? WATCH_CONTENT_TYPES : RESPONSE_CONTENT_TYPES;
  const responses: Json = {};
  for (const code of op.codes) {
    responses[code] = {
      content: content(types, { $ref: V3_REF_PREFIX + op.response }),
      description: CODE_TEXT[code],
    };
  }
  responses["401"] = { description: "Unauthorized" };
  out.responses = responses;
  out.tags = [op.tag];
  out["x-kubernetes-action"] = op.action;
  out["x-kubernetes-group-version-kind"] = op.gvk;
  return out;
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
    for (const item of crPaths(cr.descriptor)) {
      const entry: Json = {};
      for (const op of item.operations) entry[op.method] = v2Operation(op);
      entry.parameters = item.parameters.map(v2Parameter);
      paths[item.path] = entry;
    }
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
  const items = members.flatMap((cr) => crPaths(cr.descriptor));
  const paths: Record<string, unknown> = {};
  for (const item of [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const entry: Json = {};
    for (const op of item.operations) entry[op.method] = v3Operation(op, refs);
    entry.parameters = item.parameters.map(v3Parameter);
    paths[item.path] = entry;
  }
  const own: Record<string, unknown> = {};
  for (const cr of members) Object.assign(own, definitions(cr, "v3"));
  const schemas: Record<string, unknown> = { ...own };
  for (const name of definitionClosure([...refs].filter((r) => !(r in own)))) {
    schemas[name] = v3Schema(name);
  }
  return {
    openapi: "3.0.0",
    info: { ...OPENAPI_INFO },
    paths,
    components: {
      schemas: sortObject(schemas),
      securitySchemes: {
        BearerToken: {
          description: "Bearer token authentication",
          in: "header",
          name: "authorization",
          type: "apiKey",
        },
      },
    },
    security: [{ BearerToken: [] }],
  };
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
