/**
 * Owners verified absent (by a live lookup or an observed deletion), so
 * that many dependents of one deleted owner cost one lookup, not one each.
 * Bounded: least recently used entries go first (upstream's ReferenceCache,
 * 500 entries).
 */
import type { ObjectIdentity } from "./identity.js";
import { identityKey } from "./identity.js";

export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly max = 500) {}

  add(identity: ObjectIdentity): void {
    const key = identityKey(identity);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  has(identity: ObjectIdentity): boolean {
    const key = identityKey(identity);
    if (!this.entries.has(key)) return false;
    // Touch: a hit makes it most recently used.
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}
