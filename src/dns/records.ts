/** The resource records the zone holds, before a TTL and an owner spelling are put on them. */

export interface SrvTarget {
  readonly port: number;
  readonly target: string;
}

/**
 * A record of the cluster zone. PTR records carry a rank because one IP
 * can be claimed by several objects: a service IP beats an endpoint with a
 * hostname, which beats an endpoint named after its address (CoreDNS's
 * order), and only the best rank is answered.
 */
export type ZoneRecord =
  | { readonly type: "A" | "AAAA"; readonly data: string }
  | { readonly type: "CNAME"; readonly data: string }
  | { readonly type: "PTR"; readonly data: string; readonly rank: number }
  | { readonly type: "SRV"; readonly data: SrvTarget };

/** A record with the (canonical) name it lives at. */
export interface OwnedRecord {
  readonly name: string;
  readonly record: ZoneRecord;
}

export const PTR_RANK_SERVICE = 0;
export const PTR_RANK_HOSTNAME = 1;
export const PTR_RANK_ADDRESS = 2;

/** Identity of a record within one owner name, to drop duplicates (an IP in two slices). */
export function recordId(r: ZoneRecord): string {
  return r.type === "SRV" ? `SRV ${r.data.port} ${r.data.target}` : `${r.type} ${r.data}`;
}
