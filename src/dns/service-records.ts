import type { Service } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { canonicalIp, canonicalName, dashedIp, ipFamily, reverseName } from "./names.js";
import {
  type OwnedRecord,
  PTR_RANK_ADDRESS,
  PTR_RANK_HOSTNAME,
  PTR_RANK_SERVICE,
  type ZoneRecord,
} from "./records.js";

/** A Service and the EndpointSlices labelled with its name, as one informer snapshot. */
export interface ServiceSnapshot {
  readonly service: Service;
  readonly slices: readonly EndpointSlice[];
}

/** One endpoint address with the name it answers to under its service. */
interface ReadyAddress {
  readonly ip: string;
  readonly label: string;
  readonly hasHostname: boolean;
  readonly ports: readonly { name: string; protocol: string; port: number }[];
}

/** The `<service>.<ns>.svc.<domain>` name of a service. */
export function serviceName(service: Service, domain: string): string {
  return canonicalName(`${service.metadata?.name}.${service.metadata?.namespace}.svc.${domain}`);
}

function addressRecord(ip: string): ZoneRecord {
  return { type: ipFamily(ip) === 6 ? "AAAA" : "A", data: ip };
}

function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === "None";
}

/** The SRV owner name of a port: `_<port>._<proto>.<base>` (unnamed ports have none). */
function srvName(port: { name?: string; protocol?: string }, base: string): string | undefined {
  if (!port.name) return undefined;
  return canonicalName(`_${port.name}._${port.protocol ?? "TCP"}.${base}`);
}

/**
 * An endpoint counts when ready (a missing condition means ready), or
 * always when the service publishes not-ready addresses.
 */
function counts(ep: Endpoint, service: Service): boolean {
  return service.spec?.publishNotReadyAddresses === true || ep.conditions?.ready !== false;
}

/** The endpoints' addresses, one entry per IP (an IP listed in two slices during a handover counts once). */
function readyAddresses(snap: ServiceSnapshot): ReadyAddress[] {
  const out = new Map<string, ReadyAddress>();
  for (const slice of snap.slices) {
    if (slice.addressType !== "IPv4" && slice.addressType !== "IPv6") continue;
    const ports = (slice.ports ?? []).flatMap((p) =>
      p.port === undefined
        ? []
        : [{ name: p.name ?? "", protocol: p.protocol ?? "TCP", port: p.port }],
    );
    for (const ep of slice.endpoints ?? []) {
      if (!counts(ep, snap.service)) continue;
      for (const raw of ep.addresses ?? []) {
        const ip = canonicalIp(raw);
        if (!ip || out.has(ip)) continue;
        const hostname = ep.hostname ? canonicalName(ep.hostname) : "";
        out.set(ip, { ip, label: hostname || dashedIp(ip), hasHostname: hostname !== "", ports });
      }
    }
  }
  return [...out.values()];
}

function clusterIps(service: Service): string[] {
  const ips = service.spec?.clusterIPs?.length
    ? service.spec.clusterIPs
    : [service.spec?.clusterIP];
  const out: string[] = [];
  for (const ip of ips) {
    const c = ip && ip !== "None" ? canonicalIp(ip) : undefined;
    if (c) out.push(c);
  }
  return out;
}

/** Records every service with endpoints has: per-endpoint names and their PTRs. */
function endpointRecords(addrs: readonly ReadyAddress[], base: string): OwnedRecord[] {
  const out: OwnedRecord[] = [];
  for (const a of addrs) {
    const host = `${a.label}.${base}`;
    out.push({ name: host, record: addressRecord(a.ip) });
    const ptr = reverseName(a.ip);
    const rank = a.hasHostname ? PTR_RANK_HOSTNAME : PTR_RANK_ADDRESS;
    if (ptr) out.push({ name: ptr, record: { type: "PTR", data: host, rank } });
  }
  return out;
}

/** A headless service answers with its endpoints: A per address, SRV per address and port. */
function headlessRecords(addrs: readonly ReadyAddress[], base: string): OwnedRecord[] {
  const out: OwnedRecord[] = [];
  for (const a of addrs) {
    out.push({ name: base, record: addressRecord(a.ip) });
    const target = `${a.label}.${base}`;
    for (const p of a.ports) {
      const record: ZoneRecord = { type: "SRV", data: { port: p.port, target } };
      // The bare service name takes SRV queries for every port, as CoreDNS's wildcard does.
      out.push({ name: base, record });
      const named = srvName(p, base);
      if (named) out.push({ name: named, record });
    }
  }
  return out;
}

/** A service with a virtual IP answers with that IP, and SRV records pointing at its own name. */
function clusterIpRecords(service: Service, base: string): OwnedRecord[] {
  const out: OwnedRecord[] = [];
  for (const ip of clusterIps(service)) {
    out.push({ name: base, record: addressRecord(ip) });
    const ptr = reverseName(ip);
    if (ptr) out.push({ name: ptr, record: { type: "PTR", data: base, rank: PTR_RANK_SERVICE } });
  }
  if (out.length === 0) return out; // no IP allocated yet: the name does not exist
  for (const p of service.spec?.ports ?? []) {
    const record: ZoneRecord = { type: "SRV", data: { port: p.port, target: base } };
    out.push({ name: base, record });
    const named = srvName(p, base);
    if (named) out.push({ name: named, record });
  }
  return out;
}

/**
 * Every record one Service contributes to the cluster zone (DNS
 * specification 2.3–2.5): ClusterIP → A and SRV at the service name and
 * PTR for the IP; headless → the ready endpoints' addresses; ExternalName
 * → CNAME. Endpoint names (`<hostname>.<service>...`) and their PTRs exist
 * for any service with ready endpoints, as CoreDNS answers them.
 */
export function serviceRecords(snap: ServiceSnapshot, domain: string): OwnedRecord[] {
  const base = serviceName(snap.service, domain);
  const spec = snap.service.spec ?? {};
  if (spec.type === "ExternalName") {
    if (!spec.externalName) return [];
    return [{ name: base, record: { type: "CNAME", data: canonicalName(spec.externalName) } }];
  }
  const addrs = readyAddresses(snap);
  const own = isHeadless(snap.service)
    ? headlessRecords(addrs, base)
    : clusterIpRecords(snap.service, base);
  return [...own, ...endpointRecords(addrs, base)];
}
