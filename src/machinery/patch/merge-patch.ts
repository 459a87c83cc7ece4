/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge
 * key by key, `null` deletes, everything else (arrays included) replaces.
 * Edge cases follow the library upstream uses (evanphx/json-patch v4).
 */
import { PatchBadRequestError } from "./errors.js";
import { cloneJson, isObject, type JsonObject } from "./json-value.js";

/** Drop null members of objects, recursively (null array items stay). */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? x : pruneNulls(x)));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = pruneNulls(x);
    return out;
  }
  return v;
}

function mergeValue(cur: unknown, patch: unknown): unknown {
  if (!isObject(cur)) return pruneNulls(patch);
  if (!isObject(patch)) return cloneJson(patch);
  return mergeObjects(cur, patch);
}

function mergeObjects(doc: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...doc };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    const cur = out[k];
    out[k] = cur === undefined || cur === null ? pruneNulls(v) : mergeValue(cur, v);
  }
  return out;
}

/**
 * Apply a merge patch to a document, returning a new document (inputs are
 * not changed). A null or scalar patch is a 400; an array patch replaces the
 * document.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null) throw new PatchBadRequestError("Invalid JSON Patch");
  if (Array.isArray(patch)) return pruneNulls(patch);
  if (!isObject(patch)) throw new PatchBadRequestError("Invalid JSON Patch");
  if (!isObject(doc)) {
    if (doc === null) throw new PatchBadRequestError("Invalid JSON Document");
    return pruneNulls(patch);
  }
  return cloneJson(mergeObjects(doc, patch));
}
