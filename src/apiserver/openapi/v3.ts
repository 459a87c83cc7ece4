/**
 * The OpenAPI v3 documents: the root at /openapi/v3 listing one document per
 * group-version (with a content hash in each URL, so clients cache them
 * forever), and the document of one group-version at
 * /openapi/v3/<api/v1|apis/<group>/<version>>. kubectl reads these for
 * `explain`, to decide whether the server validates fields itself (a PATCH
 * operation of the kind carrying a `fieldValidation` parameter) and to find
 * the merge keys of client-side `apply`.
 */
import type { ResourceDescriptor } from "../../api/resources.js";
import { openAPIHash } from "./hash.js";
import {
  groupVersionPath,
  type Operation,
  PATCH_CONTENT_TYPES,
  type Parameter,
  type PathItem,
  pathsOf,
  RESPONSE_CONTENT_TYPES,
  WATCH_CONTENT_TYPES,
} from "./operations.js";
import { definitionClosure, V3_REF_PREFIX, v3Schema } from "./schemas.js";
import { OPENAPI_INFO } from "./v2.js";

const PATCH_DEFINITION = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
const CODE_TEXT = { "200": "OK", "201": "Created", "202": "Accepted" } as const;

function parameter(p: Parameter): Record<string, unknown> {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required === true ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

function content(types: readonly string[], schema: unknown): Record<string, unknown> {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function operation(op: Operation, refs: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    description: op.description,
    operationId: op.operationId,
  };
  if (op.parameters.length > 0) out.parameters = op.parameters.map(parameter);
  if (op.body !== undefined) {
    const target = op.body.kind === "patch" ? PATCH_DEFINITION : op.body.definition;
    refs.add(target);
    const schema = { $ref: V3_REF_PREFIX + target };
    out.requestBody =
      op.body.kind === "patch"
        ? { content: content(op.body.contentTypes ?? PATCH_CONTENT_TYPES, schema), required: true }
        : {
            content: content(["*/*"], schema),
            ...(op.method !== "delete" ? { required: true } : {}),
          };
  }
  let types: readonly string[];
  let schema: unknown;
  if (op.response === undefined) {
    types = ["*/*"];
    schema = { type: "string" };
  } else {
    refs.add(op.response);
    types = op.streaming === true ? WATCH_CONTENT_TYPES : RESPONSE_CONTENT_TYPES;
    schema = { $ref: V3_REF_PREFIX + op.response };
  }
  const responses: Record<string, unknown> = {};
  for (const code of op.codes) {
    responses[code] = { content: content(types, schema), description: CODE_TEXT[code] };
  }
  responses["401"] = { description: "Unauthorized" };
  out.responses = responses;
  out.tags = [op.tag];
  out["x-kubernetes-action"] = op.action;
  out["x-kubernetes-group-version-kind"] = op.gvk;
  return out;
}

const itemsCache = new WeakMap<readonly ResourceDescriptor[], Map<string, PathItem[]>>();
const docCache = new WeakMap<readonly ResourceDescriptor[], Map<string, Record<string, unknown>>>();

function groupVersionItems(resources: readonly ResourceDescriptor[]): Map<string, PathItem[]> {
  const cached = itemsCache.get(resources);
  if (cached !== undefined) return cached;
  const out = new Map<string, PathItem[]>();
  for (const d of resources) {
    const items = pathsOf(d);
    if (items.length === 0) continue;
    const key = groupVersionPath(d);
    out.set(key, [...(out.get(key) ?? []), ...items]);
  }
  itemsCache.set(resources, out);
  return out;
}

/**
 * The OpenAPI 3.0 document of one group-version (`api/v1`, `apis/apps/v1`),
 * or undefined when no served resource belongs to it. Documents are built
 * once per resources array (the same array gives the same, shared object:
 * treat it as read-only).
 */
export function openAPIV3GroupVersion(
  resources: readonly ResourceDescriptor[],
  gvPath: string,
): Record<string, unknown> | undefined {
  const key = gvPath.replace(/^\/+/, "");
  let docs = docCache.get(resources);
  if (docs === undefined) {
    docs = new Map();
    docCache.set(resources, docs);
  }
  const cached = docs.get(key);
  if (cached !== undefined) return cached;
  const doc = buildGroupVersion(resources, key);
  if (doc !== undefined) docs.set(key, doc);
  return doc;
}

function buildGroupVersion(
  resources: readonly ResourceDescriptor[],
  gvPath: string,
): Record<string, unknown> | undefined {
  const items = groupVersionItems(resources).get(gvPath);
  if (items === undefined) return undefined;
  const refs = new Set<string>();
  const paths = v3Paths(items, refs);
  const schemas: Record<string, unknown> = {};
  for (const name of definitionClosure(refs)) schemas[name] = v3Schema(name);
  return v3Document(paths, schemas);
}

/**
 * The OpenAPI 3.0 form of the given paths, sorted by path; the definitions
 * their operations reference are added to `refs`.
 */
export function v3Paths(
  items: readonly PathItem[],
  refs: Set<string>,
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const item of [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const entry: Record<string, unknown> = {};
    for (const op of item.operations) entry[op.method] = operation(op, refs);
    entry.parameters = item.parameters.map(parameter);
    paths[item.path] = entry;
  }
  return paths;
}

/** A group-version's OpenAPI 3.0 document of these paths and schemas. */
export function v3Document(
  paths: Record<string, unknown>,
  schemas: Record<string, unknown>,
): Record<string, unknown> {
  return {
    openapi: "3.0.0",
    info: { ...OPENAPI_INFO },
    paths,
    components: {
      schemas,
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

export interface OpenAPIV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

/**
 * The /openapi/v3 root: for each served group-version its document's URL,
 * carrying the document's content hash.
 */
export function openAPIV3Root(resources: readonly ResourceDescriptor[]): OpenAPIV3Root {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gvPath of [...groupVersionItems(resources).keys()].sort()) {
    const doc = openAPIV3GroupVersion(resources, gvPath);
    if (doc === undefined) continue;
    paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${openAPIHash(doc)}` };
  }
  return { paths };
}
