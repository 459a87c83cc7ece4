/**
 * The answer cache for forwarded queries, as CoreDNS's cache plugin keeps
 * one in front of forward: replies are kept for the least TTL among their
 * records (never longer than `maxTtlSec`), negative replies (NXDOMAIN, or
 * NOERROR with no answer) for the SOA's negative TTL (RFC 2308 section 5:
 * min(SOA TTL, SOA MINIMUM)), and served with every TTL counted down by
 * the time spent in the cache. Bounded: the least recently used entry goes
 * first. Pure apart from the clock it is given.
 */
import { type Answer, type DecodedPacket, decode, encode } from "dns-packet";
import type { Forwarder } from "./handler.js";
import { RCODE } from "./message.js";

/** Milliseconds since some epoch; a fake one in tests. */
export interface CacheClock {
  now(): number;
}

export interface AnswerCacheOptions {
  /** Entries kept (default 10,000); the least recently used is evicted. */
  readonly maxEntries?: number;
  /** Longest time a reply is kept, in seconds (default 300). */
  readonly maxTtlSec?: number;
  /** Default: Date.now. */
  readonly clock?: CacheClock;
}

const CHECKING_DISABLED = 1 << 4;
const DNSSEC_OK = 1 << 15;

/**
 * What a reply may be shared across: the question, and the query flags
 * that change what comes back (EDNS present, DNSSEC OK, checking disabled).
 */
export function cacheKey(query: DecodedPacket): string | undefined {
  const q = query.questions?.[0];
  if (!q || query.questions?.length !== 1) return undefined;
  const opt = query.additionals?.find((a) => a.type === "OPT") as
    | { flags?: number; flag_do?: boolean }
    | undefined;
  const dnssecOk = opt?.flag_do === true || ((opt?.flags ?? 0) & DNSSEC_OK) !== 0;
  const cd = ((query.flags ?? 0) & CHECKING_DISABLED) !== 0;
  return `${q.name.toLowerCase()}|${q.type}|${q.class ?? "IN"}|${opt ? "e" : ""}${dnssecOk ? "d" : ""}${cd ? "c" : ""}`;
}

/** Records that carry a TTL (OPT's "TTL" field holds flags). */
function withTtl(p: DecodedPacket): Answer[] {
  return [...(p.answers ?? []), ...(p.authorities ?? []), ...(p.additionals ?? [])].filter(
    (r) => r.type !== "OPT",
  );
}

/**
 * How long a reply may be cached, in seconds; undefined when it must not
 * be (errors other than NXDOMAIN, truncated replies, negative replies
 * without an SOA, TTL 0).
 */
export function cacheTtl(reply: DecodedPacket, maxTtlSec = 300): number | undefined {
  const flags = reply.flags ?? 0;
  if (reply.flag_tc) return undefined;
  const rcode = flags & 0xf;
  if (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN) return undefined;
  let ttl: number;
  if (rcode === RCODE.NOERROR && (reply.answers?.length ?? 0) > 0) {
    ttl = Math.min(...withTtl(reply).map((r) => (r as { ttl?: number }).ttl ?? 0));
  } else {
    const soa = reply.authorities?.find((r) => r.type === "SOA");
    if (soa?.type !== "SOA") return undefined;
    ttl = Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0);
  }
  ttl = Math.min(ttl, maxTtlSec);
  return ttl > 0 ? ttl : undefined;
}

interface Entry {
  readonly reply: DecodedPacket;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxTtlSec: number;
  private readonly clock: CacheClock;
  hits = 0;
  misses = 0;

  constructor(opts: AnswerCacheOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 10_000);
    this.maxTtlSec = opts.maxTtlSec ?? 300;
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keeps `reply` under `key` if it may be cached; resolves to whether it was. */
  put(key: string, reply: DecodedPacket): boolean {
    const ttl = cacheTtl(reply, this.maxTtlSec);
    if (ttl === undefined) return false;
    const now = this.clock.now();
    this.entries.delete(key);
    this.entries.set(key, { reply, storedAt: now, expiresAt: now + ttl * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return true;
  }

  /** The cached reply with TTLs counted down, under `id`; undefined on a miss or once expired. */
  get(key: string, id: number): DecodedPacket | undefined {
    const entry = this.entries.get(key);
    const now = this.clock.now();
    if (!entry || now >= entry.expiresAt) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Most recently used goes to the back of the map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    const age = (rs: Answer[] | undefined) =>
      rs?.map((r) =>
        r.type === "OPT"
          ? r
          : { ...r, ttl: Math.max(0, ((r as { ttl?: number }).ttl ?? 0) - elapsed) },
      ) as Answer[] | undefined;
    const { reply } = entry;
    return {
      ...reply,
      id,
      ...(reply.answers ? { answers: age(reply.answers) ?? [] } : {}),
      ...(reply.authorities ? { authorities: age(reply.authorities) ?? [] } : {}),
      ...(reply.additionals ? { additionals: age(reply.additionals) ?? [] } : {}),
    };
  }
}

/** A Forwarder that answers from an AnswerCache and fills it from the one it wraps. */
export class CachingForwarder implements Forwarder {
  constructor(
    private readonly inner: Forwarder,
    readonly cache: AnswerCache,
  ) {}

  async exchange(query: Buffer): Promise<Buffer | undefined> {
    let parsed: DecodedPacket;
    try {
      parsed = decode(query);
    } catch {
      return this.inner.exchange(query);
    }
    const key = cacheKey(parsed);
    if (key === undefined) return this.inner.exchange(query);
    const hit = this.cache.get(key, parsed.id ?? 0);
    if (hit) return encode(hit);
    const raw = await this.inner.exchange(query);
    if (raw) {
      try {
        this.cache.put(key, decode(raw));
      } catch {
        // An upstream reply we cannot parse is passed on, not cached.
      }
    }
    return raw;
  }
}
