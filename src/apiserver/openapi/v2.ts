/**
 * The OpenAPI v2 (Swagger 2.0) document served at /openapi/v2: every path of
 * the served resources and every definition. kubectl reads it for
 * `explain --output plaintext-openapiv2` and as a fallback when /openapi/v3
 * is missing. Note that client-go asks for it with
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`; this
 * builder gives the JSON form only.
 */

import type { ResourceDescriptor } from "../../api/resources.js";
import { DEFINITIONS, type SchemaObject } from "../../api/schema/index.js";
import {
  type Operation,
  PATCH_CONTENT_TYPES,
  type Parameter,
  type PathItem,
  pathsOf,
  RESPONSE_CONTENT_TYPES,
  WATCH_CONTENT_TYPES,
} from "./operations.js";

export const OPENAPI_INFO = { title: "Kubernetes", version: "v1.32.0" } as const;

const REF = "#/definitions/";
const CODE_TEXT = { "200": "OK", "201": "Created", "202": "Accepted" } as const;

function parameter(p: Parameter): Record<string, unknown> {
  return {
    uniqueItems: true,
    type: p.type,
    description: p.description,
    name: p.name,
    in: p.in,
    ...(p.required === true ? { required: true } : {}),
  };
}

function operation(op: Operation): Record<string, unknown> {
  const params = op.parameters.map(parameter);
  if (op.body !== undefined) {
    const target =
      op.body.kind === "patch" ? "io.k8s.apimachinery.pkg.apis.meta.v1.Patch" : op.body.definition;
    const required = op.method !== "delete";
    params.unshift({
      name: "body",
      in: "body",
      ...(required ? { required: true } : {}),
      schema: { $ref: REF + target },
    });
  }
  const responseSchema =
    op.response === undefined ? { type: "string" } : { $ref: REF + op.response };
  const responses: Record<string, unknown> = {};
  for (const code of op.codes)
    responses[code] = { description: CODE_TEXT[code], schema: responseSchema };
  responses["401"] = { description: "Unauthorized" };
  const produces =
    op.response === undefined
      ? [
          "text/plain",
          "application/json",
          "application/yaml",
          "application/vnd.kubernetes.protobuf",
        ]
      : op.streaming === true
        ? [...WATCH_CONTENT_TYPES]
        : [...RESPONSE_CONTENT_TYPES];
  return {
    description: op.description,
    consumes:
      op.body?.kind === "patch" ? [...(op.body.contentTypes ?? PATCH_CONTENT_TYPES)] : ["*/*"],
    produces,
    schemes: ["https"],
    tags: [op.tag],
    operationId: op.operationId,
    ...(params.length > 0 ? { parameters: params } : {}),
    responses,
    "x-kubernetes-action": op.action,
    "x-kubernetes-group-version-kind": op.gvk,
  };
}

/** The swagger 2.0 form of one path: its operations by method, then its parameters. */
export function v2PathItem(item: PathItem): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const op of item.operations) entry[op.method] = operation(op);
  entry.parameters = item.parameters.map(parameter);
  return entry;
}

/** The swagger 2.0 document for the given resources. */
export function buildOpenAPIV2(resources: readonly ResourceDescriptor[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of resources) {
    for (const item of pathsOf(d)) paths[item.path] = v2PathItem(item);
  }
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((k) => [k, paths[k]]),
  );
  const definitions: Record<string, SchemaObject> = {};
  for (const name of Object.keys(DEFINITIONS).sort()) {
    const def = DEFINITIONS[name];
    if (def !== undefined) definitions[name] = def;
  }
  return {
    swagger: "2.0",
    info: { ...OPENAPI_INFO },
    paths: sortedPaths,
    definitions,
    securityDefinitions: {
      BearerToken: {
        description: "Bearer token authentication",
        type: "apiKey",
        name: "authorization",
        in: "header",
      },
    },
    security: [{ BearerToken: [] }],
  };
}
