/**
 * An object's metadata fields by field path (upstream
 * fieldpath.ExtractFieldPathAsString, with its messages): name, namespace,
 * uid, all labels or annotations, or one label or annotation by subscript.
 * Callers handle their own extra paths (spec.*, status.*) first. Pure.
 */
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import { isQualifiedName } from "../../machinery/labels/validation.js";
import { FieldPathError } from "./errors.js";
import { formatMap } from "./format-map.js";
import { splitSubscript } from "./subscript.js";

function subscriptedValue(meta: ObjectMeta, fieldPath: string, path: string, key: string): string {
  if (path !== "metadata.labels" && path !== "metadata.annotations")
    throw new FieldPathError(`fieldPath "${fieldPath}" does not support subscript`);
  const errs = isQualifiedName(path === "metadata.annotations" ? key.toLowerCase() : key);
  if (errs.length > 0)
    throw new FieldPathError(`invalid key subscript in ${fieldPath}: ${errs.join(";")}`);
  const map = path === "metadata.labels" ? meta.labels : meta.annotations;
  return map !== undefined && Object.hasOwn(map, key) ? (map[key] as string) : "";
}

/** The text of `fieldPath` for `obj`; a FieldPathError for a path that is not a metadata field. */
export function extractFieldPathAsString(
  obj: { metadata?: ObjectMeta | undefined },
  fieldPath: string,
): string {
  const meta = obj.metadata ?? {};
  const sub = splitSubscript(fieldPath);
  if (sub !== undefined) return subscriptedValue(meta, fieldPath, sub.path, sub.key);
  switch (fieldPath) {
    case "metadata.annotations":
      return formatMap(meta.annotations);
    case "metadata.labels":
      return formatMap(meta.labels);
    case "metadata.name":
      return meta.name ?? "";
    case "metadata.namespace":
      return meta.namespace ?? "";
    case "metadata.uid":
      return meta.uid ?? "";
  }
  throw new FieldPathError(`unsupported fieldPath: ${fieldPath}`);
}
