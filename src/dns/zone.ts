import { inZone } from "./names.js";
import { type OwnedRecord, recordId, type ZoneRecord } from "./records.js";

interface Entry {
  readonly name: string;
  readonly record: ZoneRecord;
}

/**
 * The in-memory cluster zone: records grouped by the object that
 * contributed them (a service key), indexed by owner name. A source's
 * records are replaced whole on every change, so the zone is always the
 * sum of the latest snapshots, whatever order events arrived in.
 *
 * Names below the domain that own nothing but have descendants (`svc`,
 * `<ns>.svc`, `_tcp.<svc>...`) are empty non-terminals: they exist, and a
 * query for them is NOERROR with no data rather than NXDOMAIN (RFC 8020).
 */
export class Zone {
  readonly domain: string;
  private readonly bySource = new Map<string, Entry[]>();
  private readonly byName = new Map<string, Set<Entry>>();
  /** How many records live at or below each name inside the domain. */
  private readonly below = new Map<string, number>();
  private readonly now: () => number;
  private lastChange: number;

  constructor(opts: { domain: string; now?: () => number }) {
    this.domain = opts.domain;
    this.now = opts.now ?? Date.now;
    this.lastChange = this.now();
  }

  /** The SOA serial: the second of the last change, as CoreDNS reports it. */
  get serial(): number {
    return Math.floor(this.lastChange / 1000) >>> 0;
  }

  /** Sets the records of one source (a service key), dropping whatever it had before. */
  replace(source: string, records: readonly OwnedRecord[]): void {
    this.remove(source);
    if (records.length === 0) return;
    const seen = new Set<string>();
    const entries: Entry[] = [];
    for (const { name, record } of records) {
      const id = `${name} ${recordId(record)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const entry = { name, record };
      entries.push(entry);
      const set = this.byName.get(name) ?? new Set<Entry>();
      this.byName.set(name, set.add(entry));
      this.count(name, 1);
    }
    this.bySource.set(source, entries);
    this.lastChange = this.now();
  }

  /** Drops everything one source contributed. */
  remove(source: string): void {
    const old = this.bySource.get(source);
    if (!old) return;
    this.bySource.delete(source);
    for (const entry of old) {
      const set = this.byName.get(entry.name);
      set?.delete(entry);
      if (set?.size === 0) this.byName.delete(entry.name);
      this.count(entry.name, -1);
    }
    this.lastChange = this.now();
  }

  /** The records at a canonical name. */
  lookup(name: string): ZoneRecord[] {
    return [...(this.byName.get(name) ?? [])].map((e) => e.record);
  }

  /** Whether a canonical name inside the domain owns records or has descendants that do. */
  exists(name: string): boolean {
    return name === this.domain || (this.below.get(name) ?? 0) > 0;
  }

  private count(name: string, delta: number): void {
    if (!inZone(name, this.domain)) return;
    // Every ancestor strictly below the apex gains (or loses) one descendant.
    let n = name;
    while (n !== this.domain) {
      const c = (this.below.get(n) ?? 0) + delta;
      if (c > 0) this.below.set(n, c);
      else this.below.delete(n);
      n = n.slice(n.indexOf(".") + 1);
    }
  }
}
