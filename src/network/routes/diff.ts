/**
 * host-gw routing, the reconcile half: what to change so the routes this
 * host holds with k8ts' protocol tag become exactly the desired ones.
 * Routes without the tag are never in `current`, so they are never
 * touched. Pure.
 */
import type { PodRoute } from "./desired.js";

/** A route read back from the kernel (only those tagged as k8ts'). */
export interface HostRoute {
  readonly dst: string;
  /** The next hop; undefined for a route without a gateway. */
  readonly via: string | undefined;
}

export interface RouteChanges {
  /** Routes to write (`ip route replace`): new ones and ones whose next hop moved. */
  readonly apply: readonly PodRoute[];
  /** Our routes no desired route keeps (deleted nodes, changed pod ranges, a restart's leftovers). */
  readonly remove: readonly HostRoute[];
}

export function diffRoutes(
  desired: readonly PodRoute[],
  current: readonly HostRoute[],
): RouteChanges {
  const have = new Map(current.map((r) => [r.dst, r]));
  const want = new Set(desired.map((r) => r.dst));
  return {
    apply: desired.filter((r) => have.get(r.dst)?.via !== r.via),
    remove: current.filter((r) => !want.has(r.dst)),
  };
}
