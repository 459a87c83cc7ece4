import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { LABEL_SERVICE_NAME } from "./resources.js";

const DELETED = "deleted";
type Expected = bigint | typeof DELETED;

/**
 * Orders two resourceVersions. They are the store's revision numbers here
 * (as upstream since 1.35 lets clients rely on); anything unparseable
 * counts as newer, so a sync is never skipped on a guess.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number {
  try {
    const x = BigInt(a ?? "");
    const y = BigInt(b ?? "");
    return x < y ? -1 : x > y ? 1 : 0;
  } catch {
    return a === b ? 0 : 1;
  }
}

function rvOf(slice: EndpointSlice): bigint | undefined {
  try {
    return BigInt(slice.metadata?.resourceVersion ?? "");
  } catch {
    return undefined;
  }
}

/** `namespace/service` of the service a slice belongs to, by its service-name label. */
export function serviceKeyOf(slice: EndpointSlice): string | undefined {
  const name = slice.metadata?.labels?.[LABEL_SERVICE_NAME] ?? "";
  return name === "" ? undefined : `${slice.metadata?.namespace ?? ""}/${name}`;
}

/**
 * What this controller last wrote to each slice, per service (upstream's
 * EndpointSliceTracker, keyed on resourceVersion instead of generation).
 * It answers two questions: is an informer event just the echo of our own
 * write (no sync needed), and is the cache behind our writes (a sync now
 * would act on stale state, so it is retried).
 */
export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, Expected>>();

  private slicesOf(slice: EndpointSlice): Map<string, Expected> | undefined {
    const key = serviceKeyOf(slice);
    return key === undefined ? undefined : this.byService.get(key);
  }

  has(slice: EndpointSlice): boolean {
    return this.slicesOf(slice)?.has(slice.metadata?.uid ?? "") ?? false;
  }

  /** Someone else changed the slice (or we never wrote it): the service needs a sync. */
  shouldSync(slice: EndpointSlice): boolean {
    const expected = this.slicesOf(slice)?.get(slice.metadata?.uid ?? "");
    if (expected === undefined || expected === DELETED) return true;
    const rv = rvOf(slice);
    return rv === undefined || rv > expected;
  }

  private ensure(slice: EndpointSlice): Map<string, Expected> | undefined {
    const key = serviceKeyOf(slice);
    if (key === undefined) return undefined;
    let slices = this.byService.get(key);
    if (!slices) {
      slices = new Map();
      this.byService.set(key, slices);
    }
    return slices;
  }

  /** Records a slice as this controller just wrote it (the create or update response). */
  update(slice: EndpointSlice): void {
    this.ensure(slice)?.set(slice.metadata?.uid ?? "", rvOf(slice) ?? 0n);
  }

  expectDeletion(slice: EndpointSlice): void {
    this.ensure(slice)?.set(slice.metadata?.uid ?? "", DELETED);
  }

  /** Forgets a deleted slice; true when this controller expected the deletion. */
  handleDeletion(slice: EndpointSlice): boolean {
    const slices = this.slicesOf(slice);
    const uid = slice.metadata?.uid ?? "";
    const expected = slices?.get(uid);
    slices?.delete(uid);
    return expected === DELETED;
  }

  /**
   * The cache lags our writes for this service: a slice we wrote is older
   * than our write or missing, or one we deleted is still there.
   */
  stale(serviceKey: string, cached: readonly EndpointSlice[]): boolean {
    const slices = this.byService.get(serviceKey);
    if (!slices) return false;
    const seen = new Set<string>();
    for (const slice of cached) {
      const uid = slice.metadata?.uid ?? "";
      seen.add(uid);
      const expected = slices.get(uid);
      if (expected === undefined) continue;
      if (expected === DELETED) return true;
      const rv = rvOf(slice);
      if (rv !== undefined && rv < expected) return true;
    }
    for (const [uid, expected] of slices) if (expected !== DELETED && !seen.has(uid)) return true;
    return false;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
