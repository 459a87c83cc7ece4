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

/** Whether two objects would be stored identically (ignoring resourceVersion). */
export function sameStoredForm(a: KubeObject, b: KubeObject): boolean {
  const ea = encodeObject(a);
  const eb = encodeObject(b);
  return ea.length === eb.length && Buffer.from(ea).equals(Buffer.from(eb));
}
