/**
 * The API server's hooks with custom resources in them: for a kind or
 * resource an established CRD serves, the answer comes from the CRD
 * (strategy from its schema, pruning, defaulting and validation, printer
 * columns, OpenAPI); for everything else from the built-in hooks.
 */
import type { ResourceDescriptor } from "../../api/resources.js";
import { resolveSchema } from "../../api/schema/lookup.js";
import type { KindStrategy } from "../../api/strategy.js";
import { applyMetaFromSchema, type SchemaNode } from "../../machinery/apply/schema-meta.js";
import type { ApplyMeta } from "../../machinery/apply/typed.js";
import { NO_PATCH_META } from "../../machinery/patch/meta.js";
import type { ApiHooks } from "../hooks.js";
import { encodeOpenAPIV2Protobuf } from "../openapi/v2-protobuf.js";
import {
  customResourceV3Document,
  withCustomResourcesV2,
  withCustomResourcesV3Root,
} from "./openapi.js";
import { pruneObject, unknownFieldPaths } from "./schema-prune.js";
import type { Schema } from "./schema-validate.js";
import { customResourceStrategy } from "./strategy.js";
import { customResourceTable } from "./table.js";
import type { CustomResources, CustomResourceVersion } from "./types.js";

/**
 * The content types a PATCH of a custom resource accepts (upstream answers
 * 415 to strategic merge patch on custom resources).
 */
export const CUSTOM_RESOURCE_PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/apply-patch+yaml",
] as const;

/** The 415 message upstream gives a strategic merge patch of a custom resource. */
export const CUSTOM_RESOURCE_PATCH_UNSUPPORTED_MESSAGE = `the body of the request was in an unknown format - accepted media types include: ${CUSTOM_RESOURCE_PATCH_TYPES.join(", ")}`;

/** Whether a PATCH with this Content-Type is allowed on a custom resource. */
export function customResourcePatchTypeAllowed(contentType: string | undefined): boolean {
  const base = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return (CUSTOM_RESOURCE_PATCH_TYPES as readonly string[]).includes(base);
}

const OBJECT_META_REF = "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/** The apply meta of a custom resource: its schema, with metadata as ObjectMeta. */
function crApplyMeta(schema: Schema | undefined): ApplyMeta {
  if (schema === undefined) {
    return applyMetaFromSchema({ properties: { metadata: { $ref: OBJECT_META_REF } } }, (s) =>
      s.$ref === undefined ? s : (resolveSchema(s as never) as SchemaNode | undefined),
    );
  }
  const root = {
    ...(schema as SchemaNode),
    properties: {
      ...((schema.properties ?? {}) as Record<string, SchemaNode>),
      metadata: { $ref: OBJECT_META_REF },
    },
  };
  return applyMetaFromSchema(root, (s) =>
    s.$ref === undefined ? s : (resolveSchema(s as never) as SchemaNode | undefined),
  );
}

/** Splits `crontabs.stable.example.com` into plural and group. */
function splitGroupResource(gr: string): { plural: string; group: string } {
  const dot = gr.indexOf(".");
  return dot < 0
    ? { plural: gr, group: "" }
    : { plural: gr.slice(0, dot), group: gr.slice(dot + 1) };
}

/** The custom resource versions among the descriptors (same group, version and plural). */
function versionsIn(
  crs: CustomResources,
  resources: readonly ResourceDescriptor[],
): CustomResourceVersion[] {
  const out: CustomResourceVersion[] = [];
  for (const d of resources) {
    const cr = crs.byResource(d.group, d.version, d.plural);
    if (cr !== undefined) out.push(cr);
  }
  return out;
}

/**
 * Hooks answering from the CRDs `crs` knows and from `base` for every
 * other kind. Strategies, apply metas and OpenAPI documents are computed
 * once per CRD version object (a changed CRD gives new objects) and per
 * resources array.
 */
export function customResourceHooks(base: ApiHooks, crs: CustomResources): ApiHooks {
  const strategies = new WeakMap<CustomResourceVersion, KindStrategy>();
  const applyMetas = new WeakMap<CustomResourceVersion, ApplyMeta>();
  const v2Docs = new WeakMap<readonly ResourceDescriptor[], Record<string, unknown>>();
  const v3Docs = new WeakMap<
    readonly ResourceDescriptor[],
    Map<string, Record<string, unknown> | undefined>
  >();
  const v3 = (resources: readonly ResourceDescriptor[], gvPath: string) => {
    const key = gvPath.replace(/^\/+/, "");
    let docs = v3Docs.get(resources);
    if (docs === undefined) {
      docs = new Map();
      v3Docs.set(resources, docs);
    }
    if (!docs.has(key)) docs.set(key, customResourceV3Document(versionsIn(crs, resources), key));
    return docs.get(key);
  };
  const byKind = (gvk: { group: string; version: string; kind: string }) =>
    crs.byKind(gvk.group, gvk.version, gvk.kind);
  const v2 = (resources: readonly ResourceDescriptor[]): Record<string, unknown> => {
    let doc = v2Docs.get(resources);
    if (doc === undefined) {
      doc = withCustomResourcesV2(
        base.openapiV2(resources) as Record<string, unknown>,
        versionsIn(crs, resources),
      );
      v2Docs.set(resources, doc);
    }
    return doc;
  };
  return {
    ...base,
    strategyFor(group, version, kind) {
      const cr = crs.byKind(group, version, kind);
      if (cr === undefined) return base.strategyFor(group, version, kind);
      let s = strategies.get(cr);
      if (s === undefined) {
        s = customResourceStrategy(cr);
        strategies.set(cr, s);
      }
      return s;
    },
    buildTable(opts) {
      const { plural, group } = splitGroupResource(opts.groupResource);
      const candidates = crs
        .versions()
        .filter((v) => v.descriptor.group === group && v.descriptor.plural === plural);
      if (candidates.length === 0) return base.buildTable(opts);
      const apiVersion = opts.objects[0]?.apiVersion;
      const cr =
        candidates.find((v) => `${group}/${v.descriptor.version}` === apiVersion) ??
        candidates.find((v) => v.descriptor.version === v.storageVersion) ??
        (candidates[0] as CustomResourceVersion);
      return customResourceTable(cr, opts);
    },
    unknownFields(obj, gvk) {
      const cr = byKind(gvk);
      if (cr === undefined) return base.unknownFields(obj, gvk);
      return unknownFieldPaths(obj, cr.schema as Schema | undefined);
    },
    pruneUnknownFields(obj, gvk) {
      const cr = byKind(gvk);
      if (cr === undefined) {
        base.pruneUnknownFields(obj, gvk);
        return;
      }
      pruneObject(obj, cr.schema as Schema | undefined);
    },
    patchMetaFor(gvk) {
      // Strategic merge patch is refused for custom resources; nothing to know.
      return byKind(gvk) === undefined ? base.patchMetaFor(gvk) : NO_PATCH_META;
    },
    applyMetaFor(gvk) {
      const cr = byKind(gvk);
      if (cr === undefined) return base.applyMetaFor(gvk);
      let meta = applyMetas.get(cr);
      if (meta === undefined) {
        meta = crApplyMeta(cr.schema as Schema | undefined);
        applyMetas.set(cr, meta);
      }
      return meta;
    },
    openapiV2: (resources) => v2(resources),
    openapiV2Protobuf(resources) {
      if (versionsIn(crs, resources).length === 0) return base.openapiV2Protobuf(resources);
      return encodeOpenAPIV2Protobuf(v2(resources));
    },
    openapiV3Root(resources) {
      return withCustomResourcesV3Root(
        base.openapiV3Root(resources) as { paths?: Record<string, { serverRelativeURL: string }> },
        versionsIn(crs, resources),
        (gv) => v3(resources, gv),
      );
    },
    openapiV3(resources, path) {
      return base.openapiV3(resources, path) ?? v3(resources, path);
    },
  };
}
