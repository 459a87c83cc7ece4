import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointsByServicePort } from "../../src/proxy/endpoints.js";
import { servicePortsOf } from "../../src/proxy/service-port.js";
import { ep, service, slice } from "./fixtures.js";

describe("endpoints from EndpointSlices", () => {
  it("merges every slice of a service, dedupes ip:port preferring the local copy, sorts by ip:port", () => {
    const map = endpointsByServicePort(
      [
        slice("ns1/svc1", [ep("10.180.0.2"), ep("10.180.0.10")], { suffix: "a" }),
        slice("ns1/svc1", [ep("10.180.0.2", { node: "node-a" }), ep("10.180.0.1")], {
          suffix: "b",
        }),
      ],
      { hostname: "node-a" },
    );
    const eps = map.get("ns1/svc1:p80/TCP") ?? [];
    assert.deepEqual(
      eps.map((e) => [e.endpoint, e.isLocal]),
      // Plain string order, as upstream: ":" sorts after "0".
      [
        ["10.180.0.10:80", false],
        ["10.180.0.1:80", false],
        ["10.180.0.2:80", true],
      ],
    );
  });

  it("reads conditions as upstream: unset ready/serving are true, unset terminating false", () => {
    const map = endpointsByServicePort(
      [
        slice("ns1/svc1", [
          { addresses: ["10.180.0.1"] },
          {
            addresses: ["10.180.0.2"],
            conditions: { ready: false, serving: true, terminating: true },
          },
        ]),
      ],
      { hostname: "node-a" },
    );
    const [a, b] = map.get("ns1/svc1:p80/TCP") ?? [];
    assert.deepEqual(
      [a?.ready, a?.serving, a?.terminating, a?.isLocal],
      [true, true, false, false],
    );
    assert.deepEqual([b?.ready, b?.serving, b?.terminating], [false, true, true]);
  });

  it("keys by port name and protocol; unnamed ports and missing protocols default", () => {
    const map = endpointsByServicePort(
      [
        slice("ns1/web", [ep("10.180.0.1")], { ports: [{ port: 8080 }] }),
        slice("ns1/dns", [ep("10.180.0.2")], {
          ports: [
            { name: "dns", port: 53, protocol: "UDP" },
            { name: "dns-tcp", port: 53, protocol: "TCP" },
          ],
        }),
      ],
      { hostname: "node-a" },
    );
    assert.deepEqual([...map.keys()].sort(), [
      "ns1/dns:dns-tcp/TCP",
      "ns1/dns:dns/UDP",
      "ns1/web/TCP",
    ]);
    assert.equal(map.get("ns1/web/TCP")?.[0]?.endpoint, "10.180.0.1:8080");
    const [svcPort] = servicePortsOf(
      service("ns1/web", { clusterIP: "172.30.0.1", ports: [{ port: 80, targetPort: 8080 }] }),
    );
    assert.equal(svcPort?.key, "ns1/web/TCP", "the service side computes the same key");
  });

  it("skips slices without a service label, non-IPv4 slices and ports without a number", () => {
    const unlabeled = slice("ns1/svc1", [ep("10.180.0.1")]);
    unlabeled.metadata = { namespace: "ns1", name: "x" };
    const v6 = { ...slice("ns1/svc2", [ep("fd00::1")]), addressType: "IPv6" };
    const fqdn = { ...slice("ns1/svc3", [ep("example.com")]), addressType: "FQDN" };
    const noPort = slice("ns1/svc4", [ep("10.180.0.1")], { ports: [{ name: "p80" }] });
    const map = endpointsByServicePort([unlabeled, v6, fqdn, noPort], { hostname: "node-a" });
    assert.equal(map.size, 0);
  });

  it("collects zone hints", () => {
    const map = endpointsByServicePort(
      [slice("ns1/svc1", [{ ...ep("10.180.0.1"), hints: { forZones: [{ name: "z1" }] } }])],
      { hostname: "node-a" },
    );
    assert.deepEqual(map.get("ns1/svc1:p80/TCP")?.[0]?.zoneHints, ["z1"]);
  });
});

describe("service ports", () => {
  it("read policies, affinity, external and load-balancer IPs", () => {
    const [sp] = servicePortsOf(
      service("ns1/svc1", {
        clusterIP: "172.30.0.41",
        type: "LoadBalancer",
        externalIPs: ["192.168.99.1", "fd00::1"],
        lbIPs: ["1.2.3.4"],
        externalTrafficPolicy: "Local",
        sessionAffinity: "ClientIP",
        ports: [{ name: "p80", port: 80, nodePort: 30080, protocol: "TCP" }],
      }),
    );
    assert.equal(sp?.name, "ns1/svc1:p80");
    assert.equal(sp?.protocol, "tcp");
    assert.deepEqual(sp?.externalIPs, ["192.168.99.1"]);
    assert.deepEqual(sp?.loadBalancerIPs, ["1.2.3.4"]);
    assert.equal(sp?.stickySeconds, 10_800);
    assert.equal(sp?.externalPolicyLocal, true);
    assert.equal(sp?.nodePort, 30080);
  });

  it("externalTrafficPolicy Local means nothing for a port nobody reaches from outside", () => {
    const [sp] = servicePortsOf(
      service("ns1/svc1", { clusterIP: "172.30.0.41", externalTrafficPolicy: "Local" }),
    );
    assert.equal(sp?.externalPolicyLocal, false);
  });

  it("load-balancer ingress with ipMode Proxy is not a VIP this node handles", () => {
    const svc = {
      ...service("ns1/svc1", { clusterIP: "172.30.0.41", type: "LoadBalancer" }),
      status: {
        loadBalancer: {
          ingress: [
            { ip: "1.2.3.4", ipMode: "Proxy" },
            { ip: "1.2.3.5", ipMode: "VIP" },
          ],
        },
      },
    };
    assert.deepEqual(servicePortsOf(svc)[0]?.loadBalancerIPs, ["1.2.3.5"]);
  });
});
