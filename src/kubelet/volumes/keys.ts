/**
 * Payloads of configMap and secret volumes and projections: which keys
 * become which files with which modes (upstream configmap/secret
 * MakePayload). Pure.
 */
import type { ConfigMap, KeyToPath, Secret } from "kubernetes-types/core/v1.js";
import type { Payload } from "./payload.js";

/** Mode of a file with no item mode and no defaultMode (upstream's defaulted 0644). */
export const DEFAULT_MODE = 0o644;

export interface KeysOptions {
  /** The items to project; empty or absent projects every key under its own name. */
  items?: readonly KeyToPath[] | undefined;
  /** Mode of files without an item mode. Default 0644. */
  defaultMode?: number | undefined;
  /** An item naming a missing key is skipped instead of failing. Default false. */
  optional?: boolean | undefined;
}

function decodeBase64(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "base64"));
}

function encodeUtf8(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "utf8"));
}

/** Files from key → bytes, shaped by items (shared by configMaps and secrets). */
function keysPayload(
  lookup: (key: string) => Uint8Array | undefined,
  allKeys: Iterable<[string, Uint8Array]>,
  opts: KeysOptions & { missingKey: (key: string) => string },
): Payload {
  const defaultMode = opts.defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  const items = opts.items ?? [];
  if (items.length === 0) {
    for (const [key, data] of allKeys) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = lookup(item.key);
    if (data === undefined) {
      if (opts.optional === true) continue;
      throw new Error(opts.missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** The files of a configMap volume or projection: `data` as UTF-8, `binaryData` decoded. */
export function configMapPayload(configMap: ConfigMap, opts: KeysOptions = {}): Payload {
  const data = configMap.data ?? {};
  const binary = configMap.binaryData ?? {};
  const lookup = (key: string): Uint8Array | undefined => {
    const text = data[key];
    if (text !== undefined) return encodeUtf8(text);
    const b64 = binary[key];
    return b64 === undefined ? undefined : decodeBase64(b64);
  };
  const all = function* (): Generator<[string, Uint8Array]> {
    for (const [k, v] of Object.entries(data)) yield [k, encodeUtf8(v)];
    for (const [k, v] of Object.entries(binary)) yield [k, decodeBase64(v)];
  };
  return keysPayload(lookup, all(), {
    ...opts,
    missingKey: (key) => `configmap references non-existent config key: ${key}`,
  });
}

/** The files of a secret volume or projection (`data` is base64 on the wire). */
export function secretPayload(secret: Secret, opts: KeysOptions = {}): Payload {
  const data = secret.data ?? {};
  const lookup = (key: string): Uint8Array | undefined => {
    const b64 = data[key];
    return b64 === undefined ? undefined : decodeBase64(b64);
  };
  const all = function* (): Generator<[string, Uint8Array]> {
    for (const [k, v] of Object.entries(data)) yield [k, decodeBase64(v)];
  };
  return keysPayload(lookup, all(), {
    ...opts,
    missingKey: (key) => `references non-existent secret key: ${key}`,
  });
}
