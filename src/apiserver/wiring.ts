/**
 * The API server's pure parts, assembled: per-kind strategies and metadata
 * validation (src/api/validation, src/api/defaults), Table printers
 * (src/api/tables), schema knowledge and OpenAPI (src/api/schema,
 * ./openapi), selectors and patches (src/machinery).
 */
import { BUILTIN_RESOURCES } from "../api/resources.js";
import { patchMetaFor, pruneUnknownFields, unknownFields } from "../api/schema/index.js";
import { definitionForKind, resolveSchema } from "../api/schema/lookup.js";
import { strategyFor } from "../api/strategies.js";
import type { KubeObject } from "../api/strategy.js";
import { buildTable, tablePrinterFor } from "../api/tables/index.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "../api/validation/metadata.js";
import { applyMetaFromSchema } from "../machinery/apply/index.js";
import { parseFieldSelector } from "../machinery/fields/index.js";
import { parseSelector } from "../machinery/labels/index.js";
import { applyJsonPatch } from "../machinery/patch/json-patch.js";
import { applyMergePatch } from "../machinery/patch/merge-patch.js";
import type { PatchMeta } from "../machinery/patch/meta.js";
import { strategicMergeApply } from "../machinery/patch/strategic-merge.js";
import type { ApiHooks } from "./hooks.js";
import { buildOpenAPIV2 } from "./openapi/v2.js";
import { encodeOpenAPIV2Protobuf } from "./openapi/v2-protobuf.js";
import { openAPIV3GroupVersion, openAPIV3Root } from "./openapi/v3.js";

/** Groups kube-apiserver itself serves (apiextensions.k8s.io is apiextensions-apiserver's). */
const KUBE_GROUPS = new Set(
  BUILTIN_RESOURCES.map((d) => d.group).filter((g) => g !== "apiextensions.k8s.io"),
);

/**
 * Whether core's finalizer rule (a name without a domain must be a standard
 * one) applies: for kube-apiserver's kinds, not for CRDs and custom resources,
 * which apiextensions-apiserver checks with the generic rule only (its own
 * customresourcecleanup.apiextensions.k8s.io finalizer has no slash).
 */
function kubeFinalizerRule(obj: KubeObject): boolean {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  return KUBE_GROUPS.has(slash < 0 ? "" : apiVersion.slice(0, slash));
}

export function defaultHooks(): ApiHooks {
  const applyMetas = new Map<string, PatchMeta>();
  return {
    strategyFor,
    validateObjectMeta: (obj, opts) =>
      validateObjectMeta(obj, { ...opts, standardFinalizers: kubeFinalizerRule(obj) }),
    validateObjectMetaUpdate: (obj, old) =>
      validateObjectMetaUpdate(obj, old, { standardFinalizers: kubeFinalizerRule(obj) }),
    buildTable: (opts) =>
      buildTable({
        printer: tablePrinterFor(opts.groupResource),
        objects: opts.objects,
        now: opts.now,
        includeObject: opts.includeObject,
        listMeta: opts.listMeta,
        ...(opts.noHeaders !== undefined ? { noHeaders: opts.noHeaders } : {}),
      }),
    unknownFields: (obj, gvk) => unknownFields(obj, gvk),
    pruneUnknownFields: (obj, gvk) => pruneUnknownFields(obj, gvk),
    patchMetaFor: (gvk) => patchMetaFor(gvk),
    applyMetaFor: (gvk) => {
      const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
      let meta = applyMetas.get(key);
      if (!meta) {
        meta = applyMetaFromSchema(definitionForKind(gvk), resolveSchema);
        applyMetas.set(key, meta);
      }
      return meta;
    },
    parseLabelSelector: (text) => parseSelector(text),
    parseFieldSelector: (text) => parseFieldSelector(text),
    strategicMerge: (original, patch, meta) =>
      strategicMergeApply(original, patch, meta) as KubeObject,
    mergePatch: (original, patch) => applyMergePatch(original, patch) as KubeObject,
    jsonPatch: (original, patch) => applyJsonPatch(original, patch) as KubeObject,
    openapiV2: (resources) => buildOpenAPIV2(resources),
    openapiV2Protobuf: (resources) => encodeOpenAPIV2Protobuf(buildOpenAPIV2(resources)),
    openapiV3Root: (resources) => openAPIV3Root(resources),
    openapiV3: (resources, path) => openAPIV3GroupVersion(resources, path),
  };
}
