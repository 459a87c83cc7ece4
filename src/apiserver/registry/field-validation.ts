import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { invalid as invalidField } from "../../machinery/field-errors.js";
import { takeBodySource } from "../http/body.js";
import { scanJsonFields } from "../http/duplicate-fields.js";
import { badRequest, invalid } from "../status.js";
import type { RegistryContext, WriteOptions } from "./context.js";

/** Upstream's decoder keeps at most this many strict errors (sigs.k8s.io/json saveStrictError). */
const MAX_STRICT_ERRORS = 100;

/**
 * fieldValidation: Strict refuses unknown and duplicate fields (400,
 * upstream's "strict decoding error: unknown field "x", duplicate field
 * "y""), Warn reports each as a Warning header, Ignore drops nothing and
 * says nothing. Unknown fields are never stored: they are pruned, as
 * upstream's decoder drops them; of duplicates the last wins, as upstream.
 * Duplicates are only found in a JSON body decodeBody read (JSON.parse
 * has resolved them before anything else sees the object).
 */
export function checkFieldValidation(
  ctx: RegistryContext,
  d: ResourceDescriptor,
  obj: KubeObject,
  opts: WriteOptions,
): void {
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const source = takeBodySource(obj);
  const unknown = ctx.hooks.unknownFields(obj, gvk);
  if (opts.fieldValidation !== "Ignore") {
    const errors = strictErrors(unknown, source);
    if (errors.length > 0) {
      if (opts.fieldValidation === "Strict") {
        throw badRequest(`strict decoding error: ${errors.join(", ")}`);
      }
      opts.warnings.push(...errors);
    }
  }
  if (unknown.length > 0) ctx.hooks.pruneUnknownFields(obj, gvk);
}

/**
 * Upstream's strict errors for a body: unknown and duplicate fields in the
 * order the decoder meets them (an unknown field at its first key, a
 * duplicate at its repeat), each message once, at most 100.
 */
export function strictErrors(unknown: readonly string[], source: string | undefined): string[] {
  const unknownMessages = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (source === undefined) return dedupe(unknownMessages);
  let scan = scanJsonFields(source);
  if (scan.duplicates.length === 0) return dedupe(unknownMessages);
  // Both kinds: a second pass finds where the unknown fields sit.
  if (unknown.length > 0) scan = scanJsonFields(source, new Set(unknown));
  const all = [
    ...unknown.map((f, i) => ({
      at: scan.located.get(f) ?? Number.MAX_SAFE_INTEGER,
      order: i,
      message: unknownMessages[i] as string,
    })),
    ...scan.duplicates.map((dup, i) => ({
      at: dup.offset,
      order: unknown.length + i,
      message: `duplicate field ${JSON.stringify(dup.path)}`,
    })),
  ];
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  return dedupe(all.map((e) => e.message));
}

function dedupe(messages: readonly string[]): string[] {
  return [...new Set(messages)].slice(0, MAX_STRICT_ERRORS);
}

/** The fields of a JSON patch operation (upstream's handlers.jsonPatchOp). */
const JSON_PATCH_OP_FIELDS = new Set(["op", "path", "from", "value"]);

/**
 * The strict errors of a patch body itself, as upstream's patch handler
 * (apiserver/pkg/endpoints/handlers/patch.go) finds them with
 * kjson.UnmarshalStrict under Strict|Warn: a merge or strategic merge
 * patch decodes into a map (only duplicates can be wrong); a JSON patch
 * into []jsonPatchOp (fields other than op/path/from/value are unknown, a
 * field both unknown and repeated only unknown, as for any typed decode),
 * its errors prefixed "json patch ". Document order, each once.
 */
export function patchBodyStrictErrors(
  type: "json" | "merge" | "strategic",
  text: string,
  parsed: unknown,
): string[] {
  if (type !== "json") {
    return dedupe(
      scanJsonFields(text).duplicates.map((d) => `duplicate field ${JSON.stringify(d.path)}`),
    );
  }
  const unknown: string[] = [];
  if (Array.isArray(parsed)) {
    parsed.forEach((op, i) => {
      if (op === null || typeof op !== "object" || Array.isArray(op)) return;
      for (const key of Object.keys(op)) {
        if (!JSON_PATCH_OP_FIELDS.has(key)) unknown.push(`[${i}].${key}`);
      }
    });
  }
  const unknownDuplicates = new Set(unknown.map((f) => `duplicate field ${JSON.stringify(f)}`));
  return strictErrors(unknown, text)
    .filter((e) => !unknownDuplicates.has(e))
    .map((e) => `json patch ${e}`);
}

/**
 * fieldValidation for a patched object (JSON, merge and strategic merge
 * patches): the patch body's own strict errors, then the unknown fields of
 * the patched object in the order upstream's decoder meets them (it decodes
 * a re-encoded object, keys sorted). Strict refuses with upstream's 422
 * `"" is invalid: patch: Invalid value: "<patched object>": strict decoding
 * error: ...`; Warn adds each as a warning (once, however often the update
 * is retried); unknown fields are pruned either way.
 */
export function checkPatchFieldValidation(
  ctx: RegistryContext,
  d: ResourceDescriptor,
  obj: KubeObject,
  opts: WriteOptions,
  patch: { readonly errors: readonly string[]; readonly badValue: () => string },
): void {
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  let unknown = ctx.hooks.unknownFields(obj, gvk);
  if (opts.fieldValidation !== "Ignore") {
    if (unknown.length > 1) unknown = ctx.hooks.unknownFields(sortKeys(obj) as KubeObject, gvk);
    const errors = [
      ...patch.errors,
      ...dedupe(unknown.map((f) => `unknown field ${JSON.stringify(f)}`)),
    ];
    if (errors.length > 0) {
      if (opts.fieldValidation === "Strict") {
        const err = invalid({ group: "", kind: "" }, "", [
          invalidField("patch", patch.badValue(), `strict decoding error: ${errors.join(", ")}`),
        ]);
        // Go's omitempty: no kind in the details of a kindless error.
        if (err.status.details?.kind === "") delete err.status.details.kind;
        throw err;
      }
      for (const e of errors) if (!opts.warnings.includes(e)) opts.warnings.push(e);
    }
  }
  if (unknown.length > 0) ctx.hooks.pruneUnknownFields(obj, gvk);
}

/** A deep copy with every object's keys sorted, as Go encodes a map. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort())
    out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** JSON as Go's encoding/json writes a decoded map: keys sorted, <, > and & escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** fmt's %+v of a decoded JSON value: `map[a:1 b:[x y]]`, null as `<nil>`. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(" ")}]`;
  }
  return String(value);
}
