import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nameserversOf, parseUpstream, UpstreamSyntaxError } from "../../src/dns/upstreams.js";

describe("upstream resolvers", () => {
  it("parses IP, IP:PORT and [IPv6]:PORT", () => {
    assert.deepEqual(parseUpstream("8.8.8.8"), { host: "8.8.8.8", port: 53 });
    assert.deepEqual(parseUpstream("127.0.0.1:5353"), { host: "127.0.0.1", port: 5353 });
    assert.deepEqual(parseUpstream("[fd00::1]:5300"), { host: "fd00::1", port: 5300 });
    assert.deepEqual(parseUpstream("fd00::1"), { host: "fd00::1", port: 53 });
  });

  it("refuses names and bad ports", () => {
    assert.throws(() => parseUpstream("dns.google"), UpstreamSyntaxError);
    assert.throws(() => parseUpstream("1.1.1.1:70000"), UpstreamSyntaxError);
  });

  it("reads the nameserver lines of resolv.conf", () => {
    const conf = [
      "# generated",
      "search example.com",
      "nameserver 10.0.0.2",
      "nameserver fe80::1%eth0 ; link-local",
      "nameserver not-an-ip",
      "options ndots:5",
    ].join("\n");
    assert.deepEqual(nameserversOf(conf), [
      { host: "10.0.0.2", port: 53 },
      { host: "fe80::1%eth0", port: 53 },
    ]);
  });
});
