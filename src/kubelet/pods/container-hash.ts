import { createHash } from "node:crypto";
import type { Container } from "kubernetes-types/core/v1.js";

/** Stable JSON: object keys sorted, so equal specs hash equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The hash recorded on a container when it is created; a running container
 * whose spec no longer hashes the same is restarted ("definition changed"),
 * which is how `kubectl set image` on a bare pod takes effect. Resources are
 * left out: changing them is an in-place resize, not a restart.
 */
export function containerHash(container: Container): string {
  const { resources: _resources, ...rest } = container;
  return createHash("sha256").update(canonical(rest)).digest("hex").slice(0, 16);
}
