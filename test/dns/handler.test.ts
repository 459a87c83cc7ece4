import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type DecodedPacket, decode, encode, type Packet, RECURSION_DESIRED } from "dns-packet";
import { type Forwarder, QueryHandler } from "../../src/dns/handler.js";
import { encodeWithin } from "../../src/dns/message.js";
import { clusterIpService, externalService, headlessService, slice, zoneOf } from "./fixtures.js";
import { firstData } from "./packets.js";

function query(name: string, type: string, opts: { id?: number; edns?: number } = {}): Buffer {
  const p: Packet = {
    type: "query",
    id: opts.id ?? 4242,
    flags: RECURSION_DESIRED,
    questions: [{ name, type: type as "A", class: "IN" }],
  };
  if (opts.edns)
    p.additionals = [
      {
        type: "OPT",
        name: ".",
        udpPayloadSize: opts.edns,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ];
  return encode(p);
}

function rcodeOf(p: DecodedPacket): number {
  return (p.flags ?? 0) & 0xf;
}

/** Records what it was asked and answers with a fixed A record. */
class FakeForwarder implements Forwarder {
  readonly asked: string[] = [];
  constructor(private readonly up: boolean) {}
  async exchange(raw: Buffer): Promise<Buffer | undefined> {
    const q = decode(raw);
    this.asked.push(`${q.questions?.[0]?.name} ${q.questions?.[0]?.type}`);
    if (!this.up) return undefined;
    return encode({
      type: "response",
      id: q.id ?? 0,
      flags: RECURSION_DESIRED,
      questions: q.questions ?? [],
      answers: [{ type: "A", name: q.questions?.[0]?.name ?? "", ttl: 300, data: "192.0.2.53" }],
    });
  }
}

const many = Array.from({ length: 20 }, (_, i) => ({ addresses: [`10.42.1.${i + 1}`] }));
const zone = zoneOf([
  { service: clusterIpService("web", { ip: "10.43.0.20" }) },
  { service: headlessService("big"), slices: [slice("big", { endpoints: many })] },
  { service: externalService("search", "search.example.com") },
]);

describe("QueryHandler", () => {
  it("answers a cluster name authoritatively under the query's id", async () => {
    const h = new QueryHandler(zone);
    const reply = decode(
      (await h.handle(query("web.default.svc.cluster.local", "A"), "udp")) as Buffer,
    );
    assert.equal(reply.id, 4242);
    assert.equal(reply.type, "response");
    assert.ok(reply.flag_aa && reply.flag_rd && reply.flag_ra);
    assert.equal(rcodeOf(reply), 0);
    assert.equal(firstData(reply), "10.43.0.20");
  });

  it("sets NXDOMAIN in the header for a missing cluster name", async () => {
    const h = new QueryHandler(zone);
    const reply = decode(
      (await h.handle(query("gone.default.svc.cluster.local", "A"), "udp")) as Buffer,
    );
    assert.equal(rcodeOf(reply), 3);
    assert.equal(reply.authorities?.[0]?.type, "SOA");
  });

  it("truncates a UDP reply over 512 bytes for a client without EDNS", async () => {
    const h = new QueryHandler(zone);
    const raw = (await h.handle(query("big.default.svc.cluster.local", "A"), "udp")) as Buffer;
    const reply = decode(raw);
    assert.ok(raw.length <= 512);
    assert.ok(reply.flag_tc, "TC set");
    assert.equal(reply.answers?.length, 0);
  });

  it("sends the whole answer over TCP, or over UDP to a client with a big EDNS buffer", async () => {
    const h = new QueryHandler(zone);
    const tcp = decode(
      (await h.handle(query("big.default.svc.cluster.local", "A"), "tcp")) as Buffer,
    );
    assert.equal(tcp.answers?.length, 20);
    assert.ok(!tcp.flag_tc);
    const edns = decode(
      (await h.handle(
        query("big.default.svc.cluster.local", "A", { edns: 4096 }),
        "udp",
      )) as Buffer,
    );
    assert.equal(edns.answers?.length, 20);
    assert.ok(!edns.flag_tc);
    const opt = edns.additionals?.find((a) => a.type === "OPT") as { udpPayloadSize: number };
    assert.equal(opt.udpPayloadSize, 1232, "EDNS answered with our own buffer size");
  });

  it("drops only additional records when they alone do not fit", () => {
    const reply: Packet = {
      type: "response",
      id: 1,
      questions: [{ name: "x", type: "SRV" }],
      answers: [{ type: "SRV", name: "x", ttl: 5, data: { port: 1, target: "t" } }],
      additionals: Array.from({ length: 40 }, (_, i) => ({
        type: "A" as const,
        name: `host-${i}.example`,
        ttl: 5,
        data: "10.0.0.1",
      })),
    };
    const out = decode(encodeWithin(reply, 512));
    assert.ok(!out.flag_tc);
    assert.equal(out.answers?.length, 1);
    assert.equal(out.additionals?.length, 0);
  });

  it("forwards other names and returns the upstream's reply", async () => {
    const fwd = new FakeForwarder(true);
    const h = new QueryHandler(zone, { forwarder: fwd });
    const reply = decode((await h.handle(query("example.com", "A", { id: 7 }), "udp")) as Buffer);
    assert.equal(reply.id, 7);
    assert.deepEqual(fwd.asked, ["example.com A"]);
    assert.equal(firstData(reply), "192.0.2.53");
    assert.ok(!reply.flag_aa, "not our zone: not authoritative");
  });

  it("answers SERVFAIL when no upstream answers", async () => {
    const h = new QueryHandler(zone, { forwarder: new FakeForwarder(false) });
    const reply = decode((await h.handle(query("example.com", "A"), "udp")) as Buffer);
    assert.equal(rcodeOf(reply), 2);
    const none = decode(
      (await new QueryHandler(zone).handle(query("example.com", "A"), "udp")) as Buffer,
    );
    assert.equal(rcodeOf(none), 2);
  });

  it("completes an ExternalName CNAME with the target's records from upstream", async () => {
    const fwd = new FakeForwarder(true);
    const h = new QueryHandler(zone, { forwarder: fwd });
    const reply = decode(
      (await h.handle(query("search.default.svc.cluster.local", "A"), "udp")) as Buffer,
    );
    assert.deepEqual(
      reply.answers?.map((a) => `${a.name} ${a.type} ${(a as { data: string }).data}`),
      [
        "search.default.svc.cluster.local CNAME search.example.com",
        "search.example.com A 192.0.2.53",
      ],
    );
    assert.deepEqual(fwd.asked, ["search.example.com A"]);
  });

  it("answers FORMERR to garbage with a header, and ignores responses sent to it", async () => {
    const h = new QueryHandler(zone);
    const garbage = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      Buffer.from([200, 1]),
    ]);
    const reply = (await h.handle(garbage, "udp")) as Buffer;
    assert.equal(reply.readUInt16BE(0), 0x1234);
    assert.equal(reply.readUInt16BE(2) & 0xf, 1);
    const response = encode({ type: "response", id: 1, questions: [{ name: "a", type: "A" }] });
    assert.equal(await h.handle(response, "udp"), undefined);
    assert.equal(await h.handle(Buffer.from([1, 2, 3]), "udp"), undefined);
  });

  it("answers NOTIMP to opcodes other than QUERY", async () => {
    const raw = query("web.default.svc.cluster.local", "A");
    raw.writeUInt16BE(raw.readUInt16BE(2) | (2 << 11), 2); // STATUS
    const reply = decode((await new QueryHandler(zone).handle(raw, "udp")) as Buffer);
    assert.equal(rcodeOf(reply), 4);
  });
});
