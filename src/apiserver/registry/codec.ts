import type { KubeObject } from "../../api/strategy.js";
import type { KeyValue } from "../../storage/types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Stored form: the object's JSON without metadata.resourceVersion (the
 * store's modRevision is the resourceVersion, set again on every read).
 */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return encoder.encode(JSON.stringify({ ...obj, metadata }));
}

export function decodeObject(kv: KeyValue): KubeObject {
  return withResourceVersion(decodeValue(kv.value), kv.modRevision);
}

export function decodeValue(value: Uint8Array): KubeObject {
  return JSON.parse(decoder.decode(value)) as KubeObject;
}

export function withResourceVersion(obj: KubeObject, revision: number): KubeObject {
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

/** JSON with object keys sorted: equal for semantically equal objects whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Whether two objects are the same apart from resourceVersion and key order (an update that changes nothing). */
export function sameStoredForm(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { resourceVersion: _rv, ...metadata } = o.metadata ?? {};
    return { ...o, metadata };
  };
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}
