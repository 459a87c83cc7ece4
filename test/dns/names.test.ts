import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addressOfReverseName,
  canonicalIp,
  canonicalName,
  dashedIp,
  inZone,
  ipOfDashed,
  labelsAbove,
  parseIpv4,
  parseIpv6,
  reverseName,
} from "../../src/dns/names.js";

describe("dns names", () => {
  it("compares names lowercased and without the root dot", () => {
    assert.equal(canonicalName("Web.Default.SVC.cluster.local."), "web.default.svc.cluster.local");
    assert.ok(inZone("a.b.cluster.local", "cluster.local"));
    assert.ok(inZone("cluster.local", "cluster.local"));
    assert.ok(!inZone("xcluster.local", "cluster.local"));
    assert.deepEqual(labelsAbove("web.default.svc.cluster.local", "cluster.local"), [
      "web",
      "default",
      "svc",
    ]);
  });

  it("parses IPv4 strictly", () => {
    assert.deepEqual(parseIpv4("10.43.0.10"), [10, 43, 0, 10]);
    assert.equal(parseIpv4("10.43.0"), undefined);
    assert.equal(parseIpv4("10.43.0.256"), undefined);
    assert.equal(parseIpv4("10.043.0.1"), undefined);
  });

  it("parses IPv6 with and without ::", () => {
    assert.deepEqual(parseIpv6("fd00::1"), [0xfd00, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6("::"), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(parseIpv6("1::2::3"), undefined);
    assert.equal(parseIpv6("1:2:3:4:5:6:7"), undefined);
    assert.equal(canonicalIp("FD00:0:0::0001"), "fd00:0:0:0:0:0:0:1");
  });

  it("maps addresses to reverse names and back", () => {
    assert.equal(reverseName("10.43.0.10"), "10.0.43.10.in-addr.arpa");
    assert.equal(addressOfReverseName("10.0.43.10.in-addr.arpa"), "10.43.0.10");
    assert.equal(addressOfReverseName("0.43.10.in-addr.arpa"), undefined);
    const v6 = reverseName("fd00::1");
    assert.ok(v6?.startsWith("1.0.0.0.0.0.0.0."));
    assert.ok(v6?.endsWith(".0.0.d.f.ip6.arpa"));
    assert.equal(addressOfReverseName(v6 ?? ""), canonicalIp("fd00::1"));
  });

  it("writes an address as one dashed label and reads it back", () => {
    assert.equal(dashedIp("10.42.0.5"), "10-42-0-5");
    assert.equal(ipOfDashed("10-42-0-5"), "10.42.0.5");
    assert.equal(ipOfDashed("fd00--1"), "fd00::1");
    assert.equal(ipOfDashed("web-0"), undefined);
    assert.equal(ipOfDashed("10-42-0-300"), undefined);
  });
});
