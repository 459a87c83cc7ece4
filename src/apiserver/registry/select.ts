import type { KubeObject } from "../../api/strategy.js";
import type { FieldMatcher, LabelMatcher } from "../hooks.js";
import { badRequest } from "../status.js";
import type { ResourceScope } from "./context.js";

/** A parsed labelSelector + fieldSelector pair for one resource. */
export interface ObjectFilter {
  readonly label: LabelMatcher;
  readonly field: FieldMatcher;
  /** The single name a `metadata.name=` field selector pins, if any. */
  readonly name?: string;
}

export function fieldsOf(scope: ResourceScope, obj: KubeObject): Record<string, string> {
  const meta = obj.metadata ?? {};
  const fields: Record<string, string> = {
    "metadata.name": meta.name ?? "",
    ...(scope.d.namespaced ? { "metadata.namespace": meta.namespace ?? "" } : {}),
  };
  return { ...fields, ...(scope.strategy.selectableFields?.(obj) ?? {}) };
}

/** Field names a field selector may use for this resource. */
export function supportedFields(scope: ResourceScope): Set<string> {
  return new Set(Object.keys(fieldsOf(scope, { metadata: {} })));
}

export function checkFieldNames(scope: ResourceScope, fieldNames: readonly string[]): void {
  const supported = supportedFields(scope);
  for (const f of fieldNames) {
    if (!supported.has(f)) throw badRequest(`field label not supported: ${f}`);
  }
}

export function matches(scope: ResourceScope, filter: ObjectFilter, obj: KubeObject): boolean {
  if (!filter.label.empty() && !filter.label.matches(obj.metadata?.labels ?? {})) return false;
  if (!filter.field.empty() && !filter.field.matches(fieldsOf(scope, obj))) return false;
  return true;
}
