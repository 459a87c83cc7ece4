import type { ServerResponse } from "node:http";
import type { Conversion } from "../../api/conversion/index.js";
import { apiVersionOf, groupResource, type ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import type { ApiHooks } from "../hooks.js";
import type { ObjectFormat } from "../http/negotiate.js";
import { writeObject } from "../http/respond.js";
import type { ResourceScope } from "../registry/context.js";
import { badRequest } from "../status.js";

export interface RenderOptions {
  readonly format: ObjectFormat;
  readonly scope: ResourceScope;
  /** The resource as the client addressed it (differs from scope.d when stored as another version). */
  readonly served: ResourceDescriptor;
  readonly convert?: Conversion | undefined;
  readonly hooks: ApiHooks;
  readonly warnings: readonly string[];
  readonly query: URLSearchParams;
}

export function includeObjectParam(query: URLSearchParams): "None" | "Metadata" | "Object" {
  const v = query.get("includeObject");
  if (v === null || v === "") return "Metadata";
  if (v === "None" || v === "Metadata" || v === "Object") return v;
  throw badRequest(
    `includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`,
  );
}

export function partialMetadata(obj: KubeObject, version: string): KubeObject {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: obj.metadata ?? {},
  };
}

function table(
  opts: RenderOptions,
  objects: KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string },
): object {
  return opts.hooks.buildTable({
    groupResource: groupResource(opts.served),
    objects,
    now: new Date(),
    includeObject: includeObjectParam(opts.query),
    listMeta,
  });
}

export function renderObject(
  res: ServerResponse,
  opts: RenderOptions & { code: number; obj: KubeObject },
): void {
  const { format, warnings } = opts;
  const obj = opts.convert ? opts.convert.fromStorage(opts.obj) : opts.obj;
  if (format.kind === "table") {
    const rv = obj.metadata?.resourceVersion;
    writeObject(res, opts.code, table(opts, [obj], rv ? { resourceVersion: rv } : {}), {
      warnings,
    });
  } else if (format.kind === "partial-metadata") {
    writeObject(res, opts.code, partialMetadata(obj, format.version), { warnings });
  } else {
    writeObject(res, opts.code, obj, { yaml: format.encoding === "yaml", warnings });
  }
}

export function renderList(
  res: ServerResponse,
  opts: RenderOptions & {
    result: { items: KubeObject[]; resourceVersion: string; continue?: string };
  },
): void {
  const { format, warnings } = opts;
  const convert = opts.convert;
  const result = convert
    ? { ...opts.result, items: opts.result.items.map((o) => convert.fromStorage(o)) }
    : opts.result;
  const listMeta: { resourceVersion: string; continue?: string } = {
    resourceVersion: result.resourceVersion,
  };
  if (result.continue) listMeta.continue = result.continue;
  if (format.kind === "table") {
    writeObject(res, 200, table(opts, result.items, listMeta), { warnings });
  } else if (format.kind === "partial-metadata") {
    writeObject(
      res,
      200,
      {
        kind: "PartialObjectMetadataList",
        apiVersion: `meta.k8s.io/${format.version}`,
        metadata: listMeta,
        items: result.items.map((o) => partialMetadata(o, format.version)),
      },
      { warnings },
    );
  } else {
    writeObject(
      res,
      200,
      {
        kind: `${opts.served.kind}List`,
        apiVersion: apiVersionOf(opts.served),
        metadata: listMeta,
        items: result.items,
      },
      { yaml: format.encoding === "yaml", warnings },
    );
  }
}
