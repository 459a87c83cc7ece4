import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { badRequest } from "../status.js";
import type { RegistryContext, WriteOptions } from "./context.js";

/**
 * fieldValidation: Strict refuses unknown fields (400, upstream's
 * "strict decoding error"), Warn reports them as Warning headers, Ignore
 * drops nothing and says nothing. Unknown fields are never stored: they are
 * pruned, as upstream's decoder drops them.
 */
export function checkFieldValidation(
  ctx: RegistryContext,
  d: ResourceDescriptor,
  obj: KubeObject,
  opts: WriteOptions,
): void {
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const unknown = ctx.hooks.unknownFields(obj, gvk);
  if (unknown.length === 0) return;
  if (opts.fieldValidation === "Strict") {
    throw badRequest(
      `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`,
    );
  }
  if (opts.fieldValidation === "Warn") {
    for (const f of unknown) opts.warnings.push(`unknown field "${f}"`);
  }
  ctx.hooks.pruneUnknownFields(obj, gvk);
}
