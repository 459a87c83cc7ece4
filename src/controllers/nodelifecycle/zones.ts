import type { Node } from "kubernetes-types/core/v1.js";
import { readyCondition } from "./conditions.js";

/** A node with this label is left out of the zone health counts. */
export const EXCLUDE_DISRUPTION_LABEL = "node.kubernetes.io/exclude-disruption";

export type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";

export interface ZoneHealth {
  readonly state: ZoneState;
  readonly size: number;
}

/** How many nodes one zone taints at once before the rate applies (upstream's burst of 1). */
const BURST = 1;

/** The zone a node is in: its region and zone labels (GA first, then the beta ones). */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region =
    l["topology.kubernetes.io/region"] ?? l["failure-domain.beta.kubernetes.io/region"];
  const zone = l["topology.kubernetes.io/zone"] ?? l["failure-domain.beta.kubernetes.io/zone"];
  return region === undefined && zone === undefined ? "" : `${region ?? ""}:${zone ?? ""}`;
}

/**
 * A zone with no Ready node is fully disrupted; one with more than two
 * nodes not Ready, making up at least `unhealthyThreshold` of it, is
 * partially disrupted (upstream's ComputeZoneState).
 */
export function zoneState(
  readyStatuses: readonly (string | undefined)[],
  unhealthyThreshold: number,
): ZoneState {
  const ready = readyStatuses.filter((s) => s === "True").length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / readyStatuses.length >= unhealthyThreshold)
    return "PartialDisruption";
  return "Normal";
}

/** Every zone's health, from the nodes' Ready conditions. */
export function zoneHealths(
  nodes: readonly Node[],
  unhealthyThreshold: number,
): Map<string, ZoneHealth> {
  const byZone = new Map<string, (string | undefined)[]>();
  for (const node of nodes) {
    if (node.metadata?.labels?.[EXCLUDE_DISRUPTION_LABEL] !== undefined) continue;
    const key = zoneKey(node);
    const statuses = byZone.get(key) ?? [];
    statuses.push(readyCondition(node)?.status);
    byZone.set(key, statuses);
  }
  const out = new Map<string, ZoneHealth>();
  for (const [key, statuses] of byZone)
    out.set(key, { state: zoneState(statuses, unhealthyThreshold), size: statuses.length });
  return out;
}

export interface EvictionRates {
  /** Nodes per second a healthy zone taints (--node-eviction-rate, 0.1). */
  readonly rate: number;
  /** The rate in a partially disrupted large zone (--secondary-node-eviction-rate, 0.01). */
  readonly secondaryRate: number;
  /** Above this many nodes a zone counts as large (--large-cluster-size-threshold, 50). */
  readonly largeClusterThreshold: number;
}

/**
 * How fast a zone's nodes may be tainted NoExecute: normally `rate`; a
 * partially disrupted zone slows to `secondaryRate`, or stops if small —
 * when many nodes fail together the cause is likely shared (a switch, the
 * control plane's network), and evicting everything would make it worse.
 */
export function zoneRate(health: ZoneHealth, rates: EvictionRates): number {
  if (health.state !== "PartialDisruption") return rates.rate;
  return health.size > rates.largeClusterThreshold ? rates.secondaryRate : 0;
}

/** A token bucket per zone (burst 1), driven by the caller's clock. */
export class ZoneRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; qps: number }>();

  constructor(private readonly defaultQps: number) {}

  setRate(zone: string, to: { qps: number; now: number }): void {
    const b = this.refill(zone, to.now);
    b.qps = to.qps;
  }

  /** Takes a token if one is there. */
  tryTake(zone: string, now: number): boolean {
    const b = this.refill(zone, now);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets zones that no longer have nodes. */
  retain(zones: ReadonlySet<string>): void {
    for (const zone of this.buckets.keys()) if (!zones.has(zone)) this.buckets.delete(zone);
  }

  private refill(zone: string, now: number): { tokens: number; at: number; qps: number } {
    let b = this.buckets.get(zone);
    if (!b) {
      b = { tokens: BURST, at: now, qps: this.defaultQps };
      this.buckets.set(zone, b);
      return b;
    }
    b.tokens = Math.min(BURST, b.tokens + (Math.max(0, now - b.at) / 1000) * b.qps);
    b.at = now;
    return b;
  }
}
