/**
 * The canonical layout of Endpoints subsets (upstream's RepackSubsets):
 * every address paired with the ports it serves, then addresses grouped
 * by identical port sets, each group one subset, everything sorted. Two
 * computations of the same endpoints therefore compare equal.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset } from "kubernetes-types/core/v1.js";

/** Addresses are the same endpoint when IP and target UID agree. */
function addressKey(a: EndpointAddress): string {
  // "\0" sorts below every printable character, so keys order by IP, then UID.
  return `${a.ip}\0${a.targetRef?.uid ?? ""}`;
}

function portKey(p: EndpointPort): string {
  return JSON.stringify([p.name ?? "", p.port, p.protocol ?? "TCP", p.appProtocol ?? ""]);
}

function byKey<T>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/** A subset's addresses sorted by IP then target UID, ports by value. */
export function sortSubset(ss: EndpointSubset): EndpointSubset {
  const out: EndpointSubset = {};
  if (ss.addresses?.length) out.addresses = [...ss.addresses].sort(byKey(addressKey));
  if (ss.notReadyAddresses?.length)
    out.notReadyAddresses = [...ss.notReadyAddresses].sort(byKey(addressKey));
  if (ss.ports?.length) out.ports = [...ss.ports].sort(byKey(portKey));
  return out;
}

/** Subsets sorted inside and among themselves. */
export function sortSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  return subsets.map(sortSubset).sort(byKey((ss) => JSON.stringify(ss)));
}

interface PortEntry {
  port: EndpointPort | undefined;
  /** address key → ready; not-ready wins over ready. */
  ready: Map<string, boolean>;
}

/**
 * Expands subsets to (address, port, ready) and repacks them canonically.
 * Addresses without ports (a headless service without ports) are kept as
 * a port-less subset.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, PortEntry>();
  const record = (a: EndpointAddress, at: { port: EndpointPort | undefined; ready: boolean }) => {
    const key = addressKey(a);
    if (!addresses.has(key)) addresses.set(key, structuredClone(a));
    const pk = at.port ? portKey(at.port) : "";
    let entry = byPort.get(pk);
    if (!entry) {
      entry = { port: at.port, ready: new Map() };
      byPort.set(pk, entry);
    }
    if (entry.ready.get(key) !== false) entry.ready.set(key, at.ready);
  };
  for (const ss of subsets) {
    const ports: (EndpointPort | undefined)[] = ss.ports?.length ? ss.ports : [undefined];
    for (const port of ports) {
      for (const a of ss.addresses ?? []) record(a, { port, ready: true });
      for (const a of ss.notReadyAddresses ?? []) record(a, { port, ready: false });
    }
  }
  // Ports served by exactly the same addresses (in the same readiness) share a subset.
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, boolean> }>();
  for (const entry of byPort.values()) {
    const signature = JSON.stringify([...entry.ready].sort(byKey(([k]) => k)));
    let group = groups.get(signature);
    if (!group) {
      group = { ports: [], ready: entry.ready };
      groups.set(signature, group);
    }
    if (entry.port) group.ports.push(entry.port);
  }
  const out: EndpointSubset[] = [];
  for (const group of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of group.ready) {
      const a = addresses.get(key) as EndpointAddress;
      (isReady ? ready : notReady).push(a);
    }
    out.push({ addresses: ready, notReadyAddresses: notReady, ports: group.ports });
  }
  return sortSubsets(out);
}

/** Drops what carries no meaning for comparison: empty lists, unset fields, target versions. */
function normalize(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    // A pod's resourceVersion changes with every status write that leaves its endpoint alone.
    if (key === "targetRef" && k === "resourceVersion") continue;
    out[k] = normalize(v, k);
  }
  return out;
}

/** Semantically equal subsets, ignoring target resourceVersions (no churn from pod writes). */
export function subsetsEqual(
  a: readonly EndpointSubset[] | undefined,
  b: readonly EndpointSubset[] | undefined,
): boolean {
  return JSON.stringify(normalize(a ?? [])) === JSON.stringify(normalize(b ?? []));
}
