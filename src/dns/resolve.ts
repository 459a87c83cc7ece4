import type { Answer } from "dns-packet";
import { type AnyRecord, DEFAULT_TTL, SCHEMA_VERSION, soaAnswer, toAnswer } from "./answers.js";
import {
  addressOfReverseName,
  canonicalName,
  inZone,
  ipFamily,
  ipOfDashed,
  isReverseName,
  labelsAbove,
} from "./names.js";
import type { Zone } from "./zone.js";

export interface Question {
  readonly name: string;
  /** A record type name as dns-packet spells it ("A", "SRV", "ANY", ...). */
  readonly type: string;
}

export interface LocalAnswer {
  readonly kind: "answer";
  readonly rcode: "NOERROR" | "NXDOMAIN";
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
  /**
   * A CNAME left the cluster zone: the answer is complete once the target
   * has been looked up upstream and its records appended.
   */
  readonly chase?: Question;
}

export type Resolution = LocalAnswer | { readonly kind: "forward" };

export interface ResolveOptions {
  /** TTL of every record (default 5, CoreDNS's). */
  readonly ttl?: number;
  /**
   * Addresses `ns.dns.<domain>` answers with (default: the cluster IP of
   * kube-system/kube-dns, when that service exists).
   */
  readonly nameservers?: readonly string[];
}

/** How many CNAMEs inside the zone are followed before giving up (a loop of ExternalNames). */
const MAX_CHAIN = 8;

interface Found {
  readonly exists: boolean;
  readonly records: AnyRecord[];
}

/** Records the zone answers without storing them: apex, schema version, nameserver, pods. */
function synthetic(zone: Zone, name: string, opts: ResolveOptions): Found | undefined {
  const d = zone.domain;
  if (name === d)
    return { exists: true, records: [{ type: "SOA" }, { type: "NS", data: `ns.dns.${d}` }] };
  if (name === `dns-version.${d}`)
    return { exists: true, records: [{ type: "TXT", data: SCHEMA_VERSION }] };
  if (name === `dns.${d}`) return { exists: true, records: [] };
  if (name === `ns.dns.${d}`) {
    const ips = opts.nameservers ?? zone.lookup(`kube-dns.kube-system.svc.${d}`).map((r) => r.data);
    const records: AnyRecord[] = [];
    for (const ip of ips) {
      if (typeof ip !== "string" || ipFamily(ip) === 0) continue;
      records.push({ type: ipFamily(ip) === 6 ? "AAAA" : "A", data: ip });
    }
    return { exists: true, records };
  }
  const labels = labelsAbove(name, d);
  if (labels.at(-1) !== "pod" || labels.length > 3) return undefined;
  if (labels.length < 3) return { exists: true, records: [] };
  // CoreDNS "pods insecure": `a-b-c-d.<ns>.pod.<zone>` answers from the name alone.
  const ip = ipOfDashed(labels[0] ?? "");
  if (!ip) return { exists: false, records: [] };
  return { exists: true, records: [{ type: ipFamily(ip) === 6 ? "AAAA" : "A", data: ip }] };
}

function find(zone: Zone, name: string, opts: ResolveOptions): Found {
  return (
    synthetic(zone, name, opts) ?? { exists: zone.exists(name), records: [...zone.lookup(name)] }
  );
}

/** Only the best-ranked PTRs answer: a service IP over an endpoint of some service. */
function bestPtrs(records: AnyRecord[]): AnyRecord[] {
  const ranks = records.flatMap((r) => (r.type === "PTR" ? [r.rank] : []));
  if (ranks.length === 0) return records;
  const best = Math.min(...ranks);
  return records.filter((r) => r.type !== "PTR" || r.rank === best);
}

function matching(records: AnyRecord[], type: string): AnyRecord[] {
  return bestPtrs(type === "ANY" ? records : records.filter((r) => r.type === type));
}

/** Address records of SRV targets in the zone, for the additional section. */
function glue(zone: Zone, records: AnyRecord[], ttl: number): Answer[] {
  const out: Answer[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.type !== "SRV" || seen.has(r.data.target)) continue;
    seen.add(r.data.target);
    for (const a of zone.lookup(r.data.target)) {
      if (a.type === "A" || a.type === "AAAA")
        out.push({ type: a.type, name: r.data.target, ttl, class: "IN", data: a.data });
    }
  }
  return out;
}

function negative(zone: Zone, rcode: LocalAnswer["rcode"], opts: { ttl: number }): LocalAnswer {
  const soa = soaAnswer(zone.domain, { ttl: opts.ttl, serial: zone.serial });
  return { kind: "answer", rcode, answers: [], authorities: [soa], additionals: [] };
}

/** A name inside the cluster domain: answered here, never forwarded. */
function clusterAnswer(zone: Zone, q: Question, opts: ResolveOptions, depth = 0): LocalAnswer {
  const ttl = opts.ttl ?? DEFAULT_TTL;
  const name = canonicalName(q.name);
  const found = find(zone, name, opts);
  const wire = { ttl, domain: zone.domain, serial: zone.serial };
  if (found.records.length === 0 && !found.exists) return negative(zone, "NXDOMAIN", { ttl });
  const cname = found.records.find((r) => r.type === "CNAME") as
    | Extract<AnyRecord, { type: "CNAME" }>
    | undefined;
  if (cname && q.type !== "CNAME" && q.type !== "ANY") {
    const head = toAnswer(q.name, cname, wire);
    const target = cname.data;
    if (!inZone(target, zone.domain)) {
      return {
        kind: "answer",
        rcode: "NOERROR",
        answers: [head],
        authorities: [],
        additionals: [],
        chase: { name: target, type: q.type },
      };
    }
    if (depth >= MAX_CHAIN) return { ...negative(zone, "NOERROR", { ttl }), answers: [head] };
    const rest = clusterAnswer(zone, { name: target, type: q.type }, opts, depth + 1);
    return { ...rest, answers: [head, ...rest.answers] };
  }
  const records = matching(found.records, q.type);
  if (records.length === 0) return negative(zone, "NOERROR", { ttl });
  const srvCount = records.filter((r) => r.type === "SRV").length;
  return {
    kind: "answer",
    rcode: "NOERROR",
    answers: records.map((r) => toAnswer(q.name, r, { ...wire, srvCount })),
    authorities: [],
    additionals: glue(zone, records, ttl),
  };
}

/**
 * Reverse names of service and endpoint IPs are answered here; any other
 * reverse query falls through to the upstream servers (CoreDNS's
 * `fallthrough in-addr.arpa ip6.arpa`).
 */
function reverseAnswer(zone: Zone, q: Question, opts: ResolveOptions): Resolution {
  const name = canonicalName(q.name);
  if (q.type !== "PTR" && q.type !== "ANY") return { kind: "forward" };
  if (!addressOfReverseName(name)) return { kind: "forward" };
  const records = matching(zone.lookup(name), "PTR");
  if (records.length === 0) return { kind: "forward" };
  const wire = { ttl: opts.ttl ?? DEFAULT_TTL, domain: zone.domain, serial: zone.serial };
  return {
    kind: "answer",
    rcode: "NOERROR",
    answers: records.map((r) => toAnswer(q.name, r, wire)),
    authorities: [],
    additionals: [],
  };
}

/** What to do with one question: answer it from the cluster zone, or forward it upstream. */
export function resolve(zone: Zone, q: Question, opts: ResolveOptions = {}): Resolution {
  const name = canonicalName(q.name);
  if (inZone(name, zone.domain)) return clusterAnswer(zone, q, opts);
  if (isReverseName(name)) return reverseAnswer(zone, q, opts);
  return { kind: "forward" };
}
