import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, Service } from "kubernetes-types/core/v1.js";
import { computeSubsets } from "../../../src/controllers/endpoint/addresses.js";

const svc = (spec: Partial<NonNullable<Service["spec"]>> = {}): Service => ({
  metadata: { name: "web", namespace: "ns" },
  spec: {
    selector: { app: "web" },
    clusterIP: "10.96.0.10",
    ipFamilies: ["IPv4"],
    ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }],
    ...spec,
  },
});

const pod = (
  name: string,
  o: {
    ip?: string | string[];
    ready?: boolean;
    phase?: string;
    deleting?: boolean;
    ports?: { name: string; containerPort: number }[];
    hostname?: string;
    subdomain?: string;
  } = {},
): Pod => {
  const ips = o.ip === undefined ? ["10.0.0.1"] : Array.isArray(o.ip) ? o.ip : [o.ip];
  return {
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: {
      nodeName: "node-1",
      containers: [{ name: "c", ...(o.ports ? { ports: o.ports } : {}) }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? "Running",
      ...(ips[0] ? { podIP: ips[0] } : {}),
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: "Ready", status: (o.ready ?? true) ? "True" : "False" }],
    },
  };
};

describe("endpoint addresses", () => {
  it("lists ready pods as addresses and the rest as notReadyAddresses", () => {
    const r = computeSubsets(svc(), [
      pod("a", { ip: "10.0.0.1" }),
      pod("b", { ip: "10.0.0.2", ready: false }),
    ]);
    assert.equal(r.ready, 1);
    assert.equal(r.notReady, 1);
    assert.deepEqual(r.subsets, [
      {
        addresses: [
          {
            ip: "10.0.0.1",
            nodeName: "node-1",
            targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" },
          },
        ],
        notReadyAddresses: [
          {
            ip: "10.0.0.2",
            nodeName: "node-1",
            targetRef: { kind: "Pod", namespace: "ns", name: "b", uid: "uid-b" },
          },
        ],
        ports: [{ port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  it("publishes everything as ready with publishNotReadyAddresses, terminating pods too", () => {
    const r = computeSubsets(svc({ publishNotReadyAddresses: true }), [
      pod("a", { ip: "10.0.0.1", ready: false }),
      pod("b", { ip: "10.0.0.2", deleting: true }),
    ]);
    assert.equal(r.subsets[0]?.addresses?.length, 2);
    assert.equal(r.subsets[0]?.notReadyAddresses, undefined);
  });

  it("leaves out terminal, terminating and IP-less pods", () => {
    const r = computeSubsets(svc(), [
      pod("done", { phase: "Succeeded" }),
      pod("failed", { phase: "Failed" }),
      pod("going", { deleting: true }),
      pod("pending", { ip: [] }),
    ]);
    assert.deepEqual(r.subsets, []);
  });

  it("resolves a named targetPort per pod, skipping pods without it", () => {
    const s = svc({ ports: [{ name: "web", port: 80, targetPort: "http", protocol: "TCP" }] });
    const r = computeSubsets(s, [
      pod("a", { ip: "10.0.0.1", ports: [{ name: "http", containerPort: 8080 }] }),
      pod("b", { ip: "10.0.0.2", ports: [{ name: "http", containerPort: 9090 }] }),
      pod("c", { ip: "10.0.0.3" }),
    ]);
    const byPort = new Map(
      r.subsets.map((ss) => [ss.ports?.[0]?.port, ss.addresses?.map((a) => a.ip)]),
    );
    assert.deepEqual([...byPort.keys()].sort(), [8080, 9090]);
    assert.deepEqual(byPort.get(8080), ["10.0.0.1"]);
    assert.deepEqual(byPort.get(9090), ["10.0.0.2"]);
    assert.equal(r.subsets[0]?.ports?.[0]?.name, "web");
  });

  it("sets hostnames for pods whose subdomain is the service", () => {
    const r = computeSubsets(svc({ clusterIP: "None" }), [
      pod("a", { ip: "10.0.0.1", hostname: "a", subdomain: "web" }),
      pod("b", { ip: "10.0.0.2", hostname: "b", subdomain: "other" }),
    ]);
    const host = new Map(r.subsets[0]?.addresses?.map((a) => [a.ip, a.hostname]));
    assert.equal(host.get("10.0.0.1"), "a");
    assert.equal(host.get("10.0.0.2"), undefined);
  });

  it("gives a headless service without ports port-less addresses", () => {
    const r = computeSubsets(svc({ clusterIP: "None", ports: [] }), [pod("a")]);
    assert.equal(r.subsets.length, 1);
    assert.equal(r.subsets[0]?.ports, undefined);
    assert.equal(r.subsets[0]?.addresses?.[0]?.ip, "10.0.0.1");
    // A service with a cluster IP needs ports to have endpoints.
    assert.deepEqual(computeSubsets(svc({ ports: [] }), [pod("a")]).subsets, []);
  });

  it("picks the pod IP of the service's family", () => {
    const dual = pod("a", { ip: ["10.0.0.1", "fd00::1"] });
    const v6 = computeSubsets(svc({ ipFamilies: ["IPv6"], clusterIP: "fd00:96::a" }), [dual]);
    assert.equal(v6.subsets[0]?.addresses?.[0]?.ip, "fd00::1");
    const none = computeSubsets(svc({ ipFamilies: ["IPv6"] }), [pod("b", { ip: "10.0.0.2" })]);
    assert.deepEqual(none.subsets, []);
  });
});
