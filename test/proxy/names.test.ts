import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  base32,
  endpointChain,
  isServiceChain,
  portProtoHash,
  serviceChains,
  servicePortName,
} from "../../src/proxy/names.js";
import { probability } from "../../src/proxy/writer.js";

describe("chain names", () => {
  it("base32 matches the RFC 4648 test vectors (unpadded)", () => {
    const cases: Array<[string, string]> = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [text, want] of cases) assert.equal(base32(Buffer.from(text)), want, text);
  });

  it("service chains hash the port name and lower-case protocol as upstream", () => {
    // Names upstream's own iptables proxier tests expect for these ports.
    assert.equal(portProtoHash("ns1/svc1:p80", "tcp"), "XPGD46QRK7WJZT7O");
    assert.equal(portProtoHash("ns2/svc2:p80", "tcp"), "GNZBNJ2PO5MGZ6GT");
    assert.equal(portProtoHash("ns3/svc3:p80", "tcp"), "X27LE4BHSL4DOUIK");
    assert.deepEqual(serviceChains("ns5/svc5:p80", "tcp"), {
      cluster: "KUBE-SVC-NUKIZ6OKUXPJNT4C",
      local: "KUBE-SVL-NUKIZ6OKUXPJNT4C",
      external: "KUBE-EXT-NUKIZ6OKUXPJNT4C",
      firewall: "KUBE-FW-NUKIZ6OKUXPJNT4C",
    });
  });

  it("endpoint chains add ip:port to the hash", () => {
    assert.equal(
      endpointChain({ name: "ns1/svc1:p80", protocol: "tcp" }, "10.180.0.1:80"),
      "KUBE-SEP-SXIVWICOYRO3J4NJ",
    );
    assert.equal(
      endpointChain({ name: "ns2/svc2:p80", protocol: "tcp" }, "10.180.0.2:80"),
      "KUBE-SEP-RS4RBKLTHTF2IUXJ",
    );
    assert.equal(
      endpointChain({ name: "ns4/svc4:p80", protocol: "tcp" }, "10.180.0.5:80"),
      "KUBE-SEP-C6EBXVWJJZMIWKLZ",
    );
  });

  it("an unnamed port's name is just namespace/name", () => {
    assert.equal(servicePortName({ namespace: "default", name: "web" }, ""), "default/web");
    assert.equal(
      servicePortName({ namespace: "default", name: "web" }, "http"),
      "default/web:http",
    );
  });

  it("only per-service prefixes count as service chains", () => {
    for (const c of ["KUBE-SVC-X", "KUBE-SVL-X", "KUBE-EXT-X", "KUBE-FW-X", "KUBE-SEP-X"])
      assert.ok(isServiceChain(c), c);
    for (const c of ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-MARK-MASQ", "CNI-123"])
      assert.ok(!isServiceChain(c), c);
  });
});

describe("probabilities", () => {
  it("print 1/n with ten decimals as Go's %0.10f", () => {
    const cases: Array<[number, string]> = [
      [2, "0.5000000000"],
      [3, "0.3333333333"],
      [4, "0.2500000000"],
      [6, "0.1666666667"],
      [7, "0.1428571429"],
      [1000, "0.0010000000"],
      // 2^-11 = 0.00048828125 is an exact tie: Go rounds half to even.
      [2048, "0.0004882812"],
      [4096, "0.0002441406"],
      [8192, "0.0001220703"],
      [3000, "0.0003333333"],
    ];
    for (const [n, want] of cases) assert.equal(probability(n), want, String(n));
  });
});
