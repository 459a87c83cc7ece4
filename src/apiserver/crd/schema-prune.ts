/**
 * Pruning of custom resources (apiextensions-apiserver's
 * pkg/apiserver/schema/pruning): fields the structural schema does not
 * specify are dropped, except under x-kubernetes-preserve-unknown-fields.
 * At the root and in x-kubernetes-embedded-resource objects apiVersion and
 * kind are always kept, and metadata keeps only ObjectMeta's fields.
 * The pruned paths (`spec.foo`, `spec.items[0].bar`) are what
 * fieldValidation=Strict/Warn reports as `unknown field "spec.foo"`.
 */
import { isPlainObject, itemsSchema, type Schema } from "./schema-validate.js";

/** ObjectMeta's fields: everything else in a resource's metadata is pruned. */
const OBJECT_META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

type OnPruned = (holder: Record<string, unknown>, key: string, path: string) => void;

function walk(
  value: unknown,
  s: Schema | undefined,
  path: string,
  on: OnPruned,
  isResource: boolean,
): void {
  if (Array.isArray(value)) {
    const items = s === undefined ? undefined : itemsSchema(s);
    if (items === undefined) return;
    value.forEach((x, i) => {
      walk(x, items, `${path}[${i}]`, on, items["x-kubernetes-embedded-resource"] === true);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = s?.["x-kubernetes-preserve-unknown-fields"] === true;
  const ap = s?.additionalProperties;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const at = join(path, key);
    if (isResource && (key === "apiVersion" || key === "kind")) continue;
    if (isResource && key === "metadata") {
      if (isPlainObject(child)) {
        for (const mk of Object.keys(child)) {
          if (!OBJECT_META_FIELDS.has(mk)) on(child, mk, join(at, mk));
        }
      }
      continue;
    }
    const prop = s?.properties?.[key] as Schema | undefined;
    if (prop !== undefined) {
      walk(child, prop, at, on, prop["x-kubernetes-embedded-resource"] === true);
    } else if (typeof ap === "object" && ap !== null) {
      const aps = ap as Schema;
      walk(child, aps, at, on, aps["x-kubernetes-embedded-resource"] === true);
    } else if (ap === true || preserve) {
      // Kept as they are: nothing below is specified.
    } else {
      on(value, key, at);
    }
  }
}

/**
 * The paths of the fields pruning would drop from a custom resource, in
 * document order. Nothing when there is no schema.
 */
export function unknownFieldPaths(obj: unknown, schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const out: string[] = [];
  walk(obj, schema, "", (_h, _k, p) => out.push(p), true);
  return out;
}

/**
 * Drops, in place, every field the schema does not specify; returns the
 * paths of what it dropped. Nothing when there is no schema.
 */
export function pruneObject(obj: unknown, schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const out: string[] = [];
  const drops: [Record<string, unknown>, string][] = [];
  walk(
    obj,
    schema,
    "",
    (holder, key, p) => {
      out.push(p);
      drops.push([holder, key]);
    },
    true,
  );
  for (const [holder, key] of drops) delete holder[key];
  return out;
}

/** Prunes a value that is not a resource root (a status alone, a default value). */
export function pruneValue(value: unknown, schema: Schema): string[] {
  const out: string[] = [];
  const drops: [Record<string, unknown>, string][] = [];
  walk(
    value,
    schema,
    "",
    (holder, key, p) => {
      out.push(p);
      drops.push([holder, key]);
    },
    schema["x-kubernetes-embedded-resource"] === true,
  );
  for (const [holder, key] of drops) delete holder[key];
  return out;
}
