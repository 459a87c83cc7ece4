// The forwarded-answer cache: TTLs, negative caching, bounds, on a fake clock.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Answer,
  type DecodedPacket,
  decode,
  encode,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
} from "dns-packet";
import { AnswerCache, CachingForwarder, cacheKey, cacheTtl } from "../../src/dns/cache.js";
import { RCODE } from "../../src/dns/message.js";

function fakeClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

function reply(opts: {
  rcode?: number;
  answers?: Answer[];
  authorities?: Answer[];
  flags?: number;
}): DecodedPacket {
  return decode(
    encode({
      type: "response",
      id: 7,
      flags: (opts.flags ?? 0) | (opts.rcode ?? RCODE.NOERROR),
      questions: [{ name: "example.com", type: "A", class: "IN" }],
      answers: opts.answers ?? [],
      authorities: opts.authorities ?? [],
    }),
  );
}

const a = (ttl: number, data = "192.0.2.1"): Answer => ({
  type: "A",
  name: "example.com",
  ttl,
  data,
});
const soa = (ttl: number, minimum: number): Answer => ({
  type: "SOA",
  name: "com",
  ttl,
  data: {
    mname: "ns.com",
    rname: "hostmaster.com",
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum,
  },
});
const ttlsOf = (p: DecodedPacket | undefined) =>
  (p?.answers ?? []).map((r) => (r as { ttl?: number }).ttl);

describe("cacheTtl", () => {
  it("is the least TTL among the reply's records", () => {
    assert.equal(cacheTtl(reply({ answers: [a(60), a(30, "192.0.2.2")] })), 30);
  });

  it("is capped at the maximum", () => {
    assert.equal(cacheTtl(reply({ answers: [a(86400)] }), 300), 300);
  });

  it("is the SOA's negative TTL for NXDOMAIN and for NOERROR without answers", () => {
    assert.equal(cacheTtl(reply({ rcode: RCODE.NXDOMAIN, authorities: [soa(900, 60)] })), 60);
    assert.equal(cacheTtl(reply({ authorities: [soa(20, 60)] })), 20);
  });

  it("keeps nothing for errors, truncation, TTL 0 or a negative reply without SOA", () => {
    assert.equal(cacheTtl(reply({ rcode: RCODE.SERVFAIL })), undefined);
    assert.equal(cacheTtl(reply({ rcode: RCODE.REFUSED, answers: [a(60)] })), undefined);
    assert.equal(cacheTtl(reply({ answers: [a(60)], flags: TRUNCATED_RESPONSE })), undefined);
    assert.equal(cacheTtl(reply({ answers: [a(0)] })), undefined);
    assert.equal(cacheTtl(reply({ rcode: RCODE.NXDOMAIN })), undefined);
  });
});

describe("cacheKey", () => {
  const q = (name: string, type: "A" | "AAAA", edns = false): DecodedPacket =>
    decode(
      encode({
        type: "query",
        id: 1,
        flags: RECURSION_DESIRED,
        questions: [{ name, type }],
        additionals: edns
          ? [
              {
                type: "OPT",
                name: ".",
                udpPayloadSize: 1232,
                extendedRcode: 0,
                ednsVersion: 0,
                flags: 0,
                flag_do: false,
                options: [],
              },
            ]
          : [],
      }),
    );

  it("ignores the name's case and tells types and EDNS apart", () => {
    assert.equal(cacheKey(q("Example.COM", "A")), cacheKey(q("example.com", "A")));
    assert.notEqual(cacheKey(q("example.com", "A")), cacheKey(q("example.com", "AAAA")));
    assert.notEqual(cacheKey(q("example.com", "A")), cacheKey(q("example.com", "A", true)));
  });
});

describe("AnswerCache", () => {
  it("serves a reply until its TTL runs out, TTLs counted down, under the asker's id", () => {
    const clock = fakeClock();
    const cache = new AnswerCache({ clock });
    assert.ok(cache.put("k", reply({ answers: [a(60), a(30, "192.0.2.2")] })));
    clock.advance(10_500);
    const hit = cache.get("k", 4242);
    assert.equal(hit?.id, 4242);
    assert.deepEqual(ttlsOf(hit), [50, 20]);
    clock.advance(19_500);
    assert.equal(cache.get("k", 1), undefined);
    assert.equal(cache.size, 0);
  });

  it("keeps an NXDOMAIN for the SOA minimum", () => {
    const clock = fakeClock();
    const cache = new AnswerCache({ clock });
    assert.ok(cache.put("k", reply({ rcode: RCODE.NXDOMAIN, authorities: [soa(900, 5)] })));
    clock.advance(4_999);
    assert.equal((cache.get("k", 1)?.flags ?? 0) & 0xf, RCODE.NXDOMAIN);
    clock.advance(1);
    assert.equal(cache.get("k", 1), undefined);
  });

  it("never keeps a reply longer than the maximum TTL", () => {
    const clock = fakeClock();
    const cache = new AnswerCache({ clock, maxTtlSec: 10 });
    cache.put("k", reply({ answers: [a(3600)] }));
    clock.advance(10_000);
    assert.equal(cache.get("k", 1), undefined);
  });

  it("does not keep a SERVFAIL", () => {
    const cache = new AnswerCache({ clock: fakeClock() });
    assert.equal(cache.put("k", reply({ rcode: RCODE.SERVFAIL })), false);
    assert.equal(cache.get("k", 1), undefined);
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new AnswerCache({ clock: fakeClock(), maxEntries: 2 });
    cache.put("a", reply({ answers: [a(60)] }));
    cache.put("b", reply({ answers: [a(60)] }));
    assert.ok(cache.get("a", 1)); // "b" is now the least recently used
    cache.put("c", reply({ answers: [a(60)] }));
    assert.equal(cache.size, 2);
    assert.ok(cache.get("a", 1));
    assert.equal(cache.get("b", 1), undefined);
    assert.ok(cache.get("c", 1));
  });
});

describe("CachingForwarder", () => {
  it("answers a repeated question from the cache without asking upstream", async () => {
    const clock = fakeClock();
    const asked: number[] = [];
    const inner = {
      async exchange(query: Buffer) {
        const q = decode(query);
        asked.push(q.id ?? 0);
        return encode({
          type: "response",
          id: q.id ?? 0,
          questions: q.questions ?? [],
          answers: [a(60)],
        });
      },
    };
    const fwd = new CachingForwarder(inner, new AnswerCache({ clock }));
    const query = (id: number, name = "example.com") =>
      encode({ type: "query", id, flags: RECURSION_DESIRED, questions: [{ name, type: "A" }] });
    await fwd.exchange(query(1));
    clock.advance(2_000);
    const second = decode((await fwd.exchange(query(2, "EXAMPLE.com"))) as Buffer);
    assert.deepEqual(asked, [1]);
    assert.equal(second.id, 2);
    assert.deepEqual(ttlsOf(second), [58]);
    clock.advance(58_000);
    await fwd.exchange(query(3));
    assert.deepEqual(asked, [1, 3]);
  });
});
