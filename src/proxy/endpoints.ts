/**
 * EndpointSlices folded into one endpoint list per service port, as
 * upstream's EndpointSliceCache does: every slice of a service (found by
 * its kubernetes.io/service-name label) contributes, duplicates across
 * slices collapse to one (preferring the copy that says it is local), and
 * each list is sorted so the generated rules do not churn.
 */
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { isIPv4 } from "./ipv4.js";
import { servicePortName } from "./names.js";
import { servicePortKey } from "./service-port.js";

export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** `ip:port`: the DNAT target and part of the KUBE-SEP- hash. */
  readonly endpoint: string;
  /** On this node (spec nodeName equals the proxy's hostname). */
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Zones the EndpointSlice controller hinted this endpoint for. */
  readonly zoneHints: readonly string[];
}

/** Endpoints of each service port, by ServicePortInfo.key. */
export type EndpointsMap = ReadonlyMap<string, readonly EndpointInfo[]>;

function endpointsOf(slice: EndpointSlice, at: { port: number; hostname: string }): EndpointInfo[] {
  const { port, hostname } = at;
  const out: EndpointInfo[] = [];
  for (const ep of slice.endpoints ?? []) {
    const ip = ep.addresses?.[0];
    if (!ip || !isIPv4(ip)) continue;
    const c = ep.conditions ?? {};
    out.push({
      ip,
      port,
      endpoint: `${ip}:${port}`,
      isLocal: ep.nodeName !== undefined && ep.nodeName === hostname,
      // Unknown conditions count as true (ready, serving) or false (terminating), as upstream.
      ready: c.ready ?? true,
      serving: c.serving ?? true,
      terminating: c.terminating ?? false,
      zoneHints: (ep.hints?.forZones ?? []).map((z) => z.name),
    });
  }
  return out;
}

export function endpointsByServicePort(
  slices: Iterable<EndpointSlice>,
  opts: { hostname: string },
): Map<string, EndpointInfo[]> {
  const byKey = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!service || slice.addressType !== "IPv4") continue;
    const namespace = slice.metadata?.namespace ?? "default";
    for (const p of slice.ports ?? []) {
      if (p.port === undefined) continue;
      const name = servicePortName({ namespace, name: service }, p.name ?? "");
      const key = servicePortKey(name, p.protocol ?? "TCP");
      const set = byKey.get(key) ?? new Map<string, EndpointInfo>();
      byKey.set(key, set);
      for (const info of endpointsOf(slice, { port: p.port, hostname: opts.hostname })) {
        if (!set.has(info.endpoint) || info.isLocal) set.set(info.endpoint, info);
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of byKey) out.set(key, sortEndpoints([...set.values()]));
  return out;
}

/** Upstream's order: by the `ip:port` string. */
export function sortEndpoints(eps: EndpointInfo[]): EndpointInfo[] {
  return eps.sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}
