import type { Answer } from "dns-packet";
import type { ZoneRecord } from "./records.js";

/** CoreDNS's kubernetes plugin default TTL, for every record it serves. */
export const DEFAULT_TTL = 5;

/** The schema version of the DNS specification these records follow (dns-version TXT). */
export const SCHEMA_VERSION = "1.1.0";

/** Records the zone makes up rather than stores. */
export type SyntheticRecord =
  | { readonly type: "SOA" }
  | { readonly type: "NS"; readonly data: string }
  | { readonly type: "TXT"; readonly data: string };

export type AnyRecord = ZoneRecord | SyntheticRecord;

/**
 * The zone's SOA as CoreDNS writes it: `ns.dns.<zone>` as primary,
 * `hostmaster.<zone>` as mailbox, the last change as serial, and the
 * record TTL as negative-caching minimum (capped at 300 s for the header).
 */
export function soaAnswer(domain: string, opts: { ttl: number; serial: number }): Answer {
  return {
    type: "SOA",
    name: domain,
    ttl: Math.min(opts.ttl, 300),
    class: "IN",
    data: {
      mname: `ns.dns.${domain}`,
      rname: `hostmaster.${domain}`,
      serial: opts.serial,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: opts.ttl,
    },
  };
}

/**
 * A record on the wire. SRV weights share 100 between the records of one
 * answer (CoreDNS's split), so clients spread evenly.
 */
export function toAnswer(
  name: string,
  rec: AnyRecord,
  opts: { ttl: number; domain: string; serial: number; srvCount?: number },
): Answer {
  const ttl = opts.ttl;
  switch (rec.type) {
    case "SOA":
      return { ...soaAnswer(opts.domain, opts), name };
    case "TXT":
      return { type: "TXT", name, ttl, class: "IN", data: [rec.data] };
    case "SRV": {
      const weight = Math.floor(100 / Math.max(opts.srvCount ?? 1, 1));
      const data = { priority: 0, weight, port: rec.data.port, target: rec.data.target };
      return { type: "SRV", name, ttl, class: "IN", data };
    }
    default:
      return { type: rec.type, name, ttl, class: "IN", data: rec.data };
  }
}
