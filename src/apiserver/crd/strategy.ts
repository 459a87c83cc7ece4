/**
 * The registry strategy of one custom resource version, the role of
 * apiextensions-apiserver's pkg/registry/customresource strategy:
 * schema defaulting, schema validation (plus the scale subresource's
 * replicas checks), metadata.generation 1 on create and bumped on every
 * update that changes more than metadata (with the status subresource the
 * status is kept from the stored object before the comparison, so status
 * changes do not count), and the CRD's selectableFields.
 *
 * What the generic handler already does for every kind with a `status`
 * subresource in its descriptor (src/apiserver/registry/prepare.ts and
 * update.ts) is not repeated: status dropped on create, kept from the
 * stored object on update of the main resource, and only status taken
 * from the body on update through /status.
 */
import type { KindStrategy, KubeObject } from "../../api/strategy.js";
import { type FieldError, invalid } from "../../machinery/field-errors.js";
import { applyDefaults } from "./schema-default.js";
import { isPlainObject, jsonEqual, type Schema, validateAgainstSchema } from "./schema-validate.js";
import type { CustomResourceVersion } from "./types.js";

const MAX_INT32 = 2147483647;

/** Everything but metadata (and the type meta, which only says which version was asked for). */
function nonMetadata(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k !== "metadata" && k !== "apiVersion" && k !== "kind") out[k] = v;
  }
  return out;
}

/** The value at a simple JSONPath (`.spec.replicas`), and whether it exists. */
export function valueAtPath(obj: unknown, jsonPath: string): { found: boolean; value: unknown } {
  const parts = jsonPath.replace(/^\./, "").split(".");
  let cur: unknown = obj;
  for (const p of parts) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, p)) return { found: false, value: undefined };
    cur = cur[p];
  }
  return { found: true, value: cur };
}

/** Go's NestedInt64 for a replicas path: absent is fine, a non-integer is an error. */
function replicasErrors(obj: KubeObject, jsonPath: string | undefined): FieldError[] {
  if (jsonPath === undefined || jsonPath === "") return [];
  const { found, value } = valueAtPath(obj, jsonPath);
  if (!found) return [];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    const t = Array.isArray(value)
      ? "[]interface {}"
      : typeof value === "number"
        ? "float64"
        : typeof value === "boolean"
          ? "bool"
          : isPlainObject(value)
            ? "map[string]interface {}"
            : typeof value;
    return [
      invalid(
        jsonPath,
        0,
        `${jsonPath.replace(/^\./, "")} accessor error: ${JSON.stringify(value)} is of the type ${t}, expected int64`,
      ),
    ];
  }
  if (value < 0) return [invalid(jsonPath, value, "should be a non-negative integer")];
  if (value > MAX_INT32) {
    return [invalid(jsonPath, value, `should be less than or equal to ${MAX_INT32}`)];
  }
  return [];
}

function labelSelectorErrors(obj: KubeObject, jsonPath: string | undefined): FieldError[] {
  if (jsonPath === undefined || jsonPath === "") return [];
  const { found, value } = valueAtPath(obj, jsonPath);
  if (!found || typeof value === "string") return [];
  return [
    invalid(
      jsonPath,
      "",
      `${jsonPath.replace(/^\./, "")} accessor error: ${JSON.stringify(value)} is of the type ${typeof value}, expected string`,
    ),
  ];
}

/** The text of a selectable field's value as field selectors compare it. */
function selectorText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The strategy of one served custom resource version. */
export function customResourceStrategy(cr: CustomResourceVersion): KindStrategy {
  const schema = cr.schema as Schema | undefined;
  const scale = cr.version.subresources?.scale;
  const selectable = cr.version.selectableFields ?? [];
  const validate = (obj: KubeObject): FieldError[] => [
    ...validateAgainstSchema(obj, schema),
    ...replicasErrors(obj, scale?.specReplicasPath),
  ];
  const strategy: KindStrategy = {
    nameRule: "subdomain",
    prepareForCreate(obj) {
      const meta = obj.metadata ?? {};
      meta.generation = 1;
      obj.metadata = meta;
    },
    prepareForUpdate(obj, old) {
      // Defaults are applied before the comparison (defaulting is idempotent),
      // so an update that only spells out a default does not bump generation.
      applyDefaults(obj, schema);
      if (!jsonEqual(nonMetadata(obj), nonMetadata(old))) {
        const meta = obj.metadata ?? {};
        meta.generation = ((old.metadata?.generation as number | undefined) ?? 0) + 1;
        obj.metadata = meta;
      }
    },
    default(obj) {
      applyDefaults(obj, schema);
    },
    validate,
    validateUpdate() {
      // validate() runs on updates too; CRs have no immutable fields of their own.
      return [];
    },
    validateStatusUpdate(obj) {
      return [
        ...validateAgainstSchema(obj, schema),
        ...replicasErrors(obj, scale?.statusReplicasPath),
        ...labelSelectorErrors(obj, scale?.labelSelectorPath),
      ];
    },
  };
  if (selectable.length > 0) {
    strategy.selectableFields = (obj) => {
      const out: Record<string, string> = {};
      for (const f of selectable) {
        const { found, value } = valueAtPath(obj, f.jsonPath);
        const text = found ? selectorText(value) : undefined;
        // Upstream: an absent field selects as the empty string.
        out[f.jsonPath.replace(/^\./, "")] = text ?? "";
      }
      return out;
    };
  }
  return strategy;
}
