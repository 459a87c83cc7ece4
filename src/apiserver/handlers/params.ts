import type { ApiHooks, FieldMatcher, LabelMatcher } from "../hooks.js";
import { FALSE_VALUES, TRUE_VALUES } from "../http/request-info.js";
import type { ObjectFilter } from "../registry/select.js";
import { badRequest } from "../status.js";

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: ${v}`);
  return n;
}

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (TRUE_VALUES.has(v)) return true;
  if (FALSE_VALUES.has(v)) return false;
  throw badRequest(`invalid ${name}: ${v}`);
}

export function dryRunParam(q: URLSearchParams): boolean {
  const values = q.getAll("dryRun");
  for (const v of values) {
    if (v !== "All") throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

export function fieldValidationParam(q: URLSearchParams): "Strict" | "Warn" | "Ignore" {
  const v = q.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  const map: Record<string, "Strict" | "Warn" | "Ignore"> = {
    strict: "Strict",
    warn: "Warn",
    ignore: "Ignore",
  };
  const out = map[v.toLowerCase()];
  if (!out)
    throw badRequest(
      `fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`,
    );
  return out;
}

/** The labelSelector and fieldSelector of a list or watch. */
export function filterParams(
  hooks: ApiHooks,
  q: URLSearchParams,
): ObjectFilter & { fieldNames: string[] } {
  let label: LabelMatcher;
  let field: FieldMatcher;
  const ls = q.get("labelSelector") ?? "";
  const fs = q.get("fieldSelector") ?? "";
  try {
    label = hooks.parseLabelSelector(ls);
  } catch (err) {
    throw badRequest(
      `unable to parse requirement: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  try {
    field = hooks.parseFieldSelector(fs);
  } catch (err) {
    throw badRequest(`invalid field selector: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fieldNames = field.requirements().map((r) => r.field);
  const name = field.requiresExactMatch("metadata.name");
  return { label, field, fieldNames, ...(name !== undefined ? { name } : {}) };
}
