// The upstream forwarder against fake resolvers on loopback.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decode, encode, RECURSION_DESIRED } from "dns-packet";
import { UpstreamForwarder } from "../../src/dns/forward.js";
import { type FakeUpstream, startFakeUpstream } from "./fake-upstream.js";
import { firstData } from "./packets.js";

function query(name: string, id: number): Buffer {
  return encode({ type: "query", id, flags: RECURSION_DESIRED, questions: [{ name, type: "A" }] });
}

describe("UpstreamForwarder", () => {
  const upstreams: FakeUpstream[] = [];
  const start = async (opts: Parameters<typeof startFakeUpstream>[0] = {}) => {
    const u = await startFakeUpstream(opts);
    upstreams.push(u);
    return u;
  };
  after(async () => {
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it("forwards over UDP and returns the reply under the client's id", async () => {
    const up = await start();
    const fwd = new UpstreamForwarder([{ host: "127.0.0.1", port: up.port }]);
    const raw = await fwd.exchange(query("example.com", 99));
    assert.ok(raw);
    const reply = decode(raw);
    assert.equal(reply.id, 99);
    assert.equal(firstData(reply), "192.0.2.53");
    assert.deepEqual(up.asked, ["udp example.com A"]);
  });

  it("asks again over TCP when the UDP reply is truncated", async () => {
    const up = await start({ truncateUdp: true });
    const fwd = new UpstreamForwarder([{ host: "127.0.0.1", port: up.port }]);
    const reply = decode((await fwd.exchange(query("big.example", 5))) as Buffer);
    assert.equal(reply.id, 5);
    assert.ok(!reply.flag_tc);
    assert.equal(reply.answers?.length, 1);
    assert.deepEqual(up.asked, ["udp big.example A", "tcp big.example A"]);
  });

  it("moves to the next upstream when one does not answer in time", async () => {
    const dead = await start({ silent: true });
    const live = await start({ address: "198.51.100.7" });
    const fwd = new UpstreamForwarder(
      [
        { host: "127.0.0.1", port: dead.port },
        { host: "127.0.0.1", port: live.port },
      ],
      { timeoutMs: 200 },
    );
    const reply = decode((await fwd.exchange(query("example.org", 1))) as Buffer);
    assert.equal(firstData(reply), "198.51.100.7");
  });

  it("gives up (undefined) when every upstream fails, and when closed", async () => {
    const dead = await start({ silent: true });
    const fwd = new UpstreamForwarder([{ host: "127.0.0.1", port: dead.port }], { timeoutMs: 100 });
    assert.equal(await fwd.exchange(query("example.net", 1)), undefined);
    const slow = new UpstreamForwarder([{ host: "127.0.0.1", port: dead.port }], {
      timeoutMs: 60_000,
    });
    const pending = slow.exchange(query("example.net", 2));
    setTimeout(() => slow.close(), 20);
    assert.equal(await pending, undefined);
  });
});
