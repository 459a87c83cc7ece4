import { InvalidKeyError } from "./errors.js";

/**
 * The smallest key greater than every key starting with `prefix` (etcd's
 * range_end for a prefix), or undefined when there is none (empty prefix:
 * the range is unbounded). Keys are compared as UTF-8 bytes, which for the
 * ASCII keys the API server writes is the same as string order.
 */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0x7f) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  return undefined;
}

export function checkKey(key: string): void {
  if (key.length === 0) throw new InvalidKeyError("key must not be empty");
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x20 || code >= 0x7f) {
      throw new InvalidKeyError(
        `key ${JSON.stringify(key)} has a character outside printable ASCII`,
      );
    }
  }
}

export function checkContinueFrom(prefix: string, continueFrom: string): void {
  if (!continueFrom.startsWith(prefix)) {
    throw new InvalidKeyError(
      `continue key ${JSON.stringify(continueFrom)} is outside prefix ${prefix}`,
    );
  }
}

/** The next page starts just after `lastKey`. */
export function keyAfter(lastKey: string): string {
  return `${lastKey}\u0000`;
}
