import { createHash } from "node:crypto";
import { InvalidDigestError } from "./errors.js";

/** An OCI content digest, `sha256:<64 lowercase hex>`. */
export type Digest = `sha256:${string}`;

const SHA256 = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Validates a digest string; only sha256 is supported for content. */
export function parseDigest(value: string): Digest {
  if (SHA256.test(value)) return value as Digest;
  if (ANY_DIGEST.test(value)) {
    throw new InvalidDigestError(`unsupported digest algorithm in ${JSON.stringify(value)}`);
  }
  throw new InvalidDigestError(`invalid digest ${JSON.stringify(value)}`);
}

export function isDigest(value: string): value is Digest {
  return SHA256.test(value);
}

/** The hex part of a digest (the blob's file name). */
export function digestHex(digest: Digest): string {
  return digest.slice("sha256:".length);
}

export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}
