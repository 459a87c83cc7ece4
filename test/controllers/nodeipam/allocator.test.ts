import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodePodCidrs, RangeAllocator } from "../../../src/controllers/nodeipam/allocator.js";
import {
  formatCidr,
  InvalidCidrError,
  parseCidr,
  parseIp,
} from "../../../src/controllers/nodeipam/cidr.js";
import { CidrSet } from "../../../src/controllers/nodeipam/cidr-set.js";

describe("CIDR text", () => {
  it("parses and prints IPv4 and IPv6 prefixes, masking host bits", () => {
    assert.equal(formatCidr(parseCidr("10.42.0.0/16")), "10.42.0.0/16");
    assert.equal(formatCidr(parseCidr("10.42.7.9/16")), "10.42.0.0/16");
    assert.equal(formatCidr(parseCidr("fd00:10:42::/56")), "fd00:10:42::/56");
    assert.equal(formatCidr(parseCidr("2001:db8:0:0:1:0:0:1/128")), "2001:db8::1:0:0:1/128");
    assert.equal(formatCidr(parseCidr("::/0")), "::/0");
    assert.equal(parseIp("::ffff:10.0.0.1")?.value, 0xffff0a000001n);
  });

  it("rejects what is not a CIDR", () => {
    for (const bad of ["10.42.0.0", "10.42.0.256/16", "10.42.0.0/33", "fd00::1::2/64", "x/8"])
      assert.throws(() => parseCidr(bad), InvalidCidrError, bad);
  });
});

describe("CIDR set", () => {
  it("hands out distinct subnets in order, then reports full", () => {
    const set = new CidrSet(parseCidr("10.44.0.0/22"), 24);
    const got = [1, 2, 3, 4].map(() => formatCidr(set.allocateNext() ?? parseCidr("0.0.0.0/0")));
    assert.deepEqual(got, ["10.44.0.0/24", "10.44.1.0/24", "10.44.2.0/24", "10.44.3.0/24"]);
    assert.equal(set.allocateNext(), undefined);
    assert.equal(set.free, 0);
  });

  it("reuses a released subnet only when the scan comes round to it", () => {
    const set = new CidrSet(parseCidr("10.44.0.0/22"), 24);
    set.allocateNext();
    const second = set.allocateNext();
    set.release(second ?? parseCidr("0.0.0.0/0"));
    assert.equal(formatCidr(set.allocateNext() ?? parseCidr("0.0.0.0/0")), "10.44.2.0/24");
    set.allocateNext();
    assert.equal(formatCidr(set.allocateNext() ?? parseCidr("0.0.0.0/0")), "10.44.1.0/24");
  });

  it("skips subnets occupied by nodes that already had them", () => {
    const set = new CidrSet(parseCidr("10.44.0.0/22"), 24);
    assert.equal(set.occupy(parseCidr("10.44.0.0/23")), true, "a larger CIDR takes two");
    assert.equal(set.occupy(parseCidr("10.99.0.0/24")), false, "outside the range");
    assert.equal(formatCidr(set.allocateNext() ?? parseCidr("0.0.0.0/0")), "10.44.2.0/24");
  });

  it("refuses a node mask shorter than the cluster's or more than 16 bits longer", () => {
    assert.throws(() => new CidrSet(parseCidr("10.42.0.0/16"), 8), InvalidCidrError);
    assert.throws(() => new CidrSet(parseCidr("10.0.0.0/8"), 28), InvalidCidrError);
  });
});

describe("range allocator", () => {
  it("gives a dual-stack node one subnet of each family, in --cluster-cidr order", () => {
    const a = new RangeAllocator({ clusterCidr: "10.42.0.0/16,fd00:42::/48" });
    assert.deepEqual(a.allocate(), ["10.42.0.0/24", "fd00:42::/64"]);
    assert.deepEqual(a.allocate(), ["10.42.1.0/24", "fd00:42:0:1::/64"]);
  });

  it("takes nothing when one family is full", () => {
    const a = new RangeAllocator({
      clusterCidr: "10.44.0.0/24,fd00::/63",
      nodeCidrMaskSize: 25,
      nodeCidrMaskSizeIpv6: 64,
    });
    a.occupy(["fd00::/64", "fd00:0:0:1::/64"]);
    assert.equal(a.allocate(), undefined);
    assert.equal(a.free, 0);
    a.release(["fd00:0:0:1::/64"]);
    // The IPv4 subnet taken and given back by the failed try is passed over, as any freed one.
    assert.deepEqual(a.allocate(), ["10.44.0.128/25", "fd00:0:0:1::/64"]);
  });

  it("reports CIDRs outside every range as foreign", () => {
    const a = new RangeAllocator({ clusterCidr: "10.42.0.0/16" });
    assert.deepEqual(a.occupy(["10.42.3.0/24", "192.168.0.0/24", "junk"]), [
      "192.168.0.0/24",
      "junk",
    ]);
  });

  it("refuses two CIDRs of one family", () => {
    assert.throws(
      () => new RangeAllocator({ clusterCidr: "10.42.0.0/16,10.43.0.0/16" }),
      InvalidCidrError,
    );
  });

  it("reads a node's CIDRs from podCIDRs or the older podCIDR", () => {
    assert.deepEqual(nodePodCidrs({ podCIDR: "10.42.0.0/24" }), ["10.42.0.0/24"]);
    assert.deepEqual(nodePodCidrs({ podCIDR: "a", podCIDRs: ["a", "b"] }), ["a", "b"]);
    assert.deepEqual(nodePodCidrs(undefined), []);
  });
});
