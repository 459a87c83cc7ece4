import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node, Service } from "kubernetes-types/core/v1.js";
import {
  handles,
  loadBalancerIngress,
  wantedStatus,
} from "../../../src/controllers/servicelb/addresses.js";

const node = (
  name: string,
  o: { ip: string; ready?: boolean; external?: string; cordoned?: boolean },
): Node => ({
  metadata: { name },
  spec: o.cordoned ? { unschedulable: true } : {},
  status: {
    conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
    addresses: [
      { type: "InternalIP", address: o.ip },
      ...(o.external ? [{ type: "ExternalIP", address: o.external }] : []),
    ],
  },
});
const svc = (
  type: string,
  extra: Partial<NonNullable<Service["spec"]>> = {},
  ingress: string[] = [],
): Service => ({
  metadata: { name: "s", namespace: "default" },
  spec: { type, ports: [{ port: 80 }], ...extra },
  status: { loadBalancer: { ingress: ingress.map((ip) => ({ ip })) } },
});

describe("service load balancer addresses", () => {
  it("are the Ready, schedulable nodes' addresses, external first, sorted", () => {
    const nodes = [
      node("b", { ip: "10.0.0.2" }),
      node("a", { ip: "10.0.0.1", external: "203.0.113.1" }),
      node("down", { ip: "10.0.0.3", ready: false }),
      node("cordoned", { ip: "10.0.0.4", cordoned: true }),
    ];
    assert.deepEqual(
      loadBalancerIngress(nodes).map((i) => i.ip),
      ["10.0.0.2", "203.0.113.1"],
    );
  });

  it("serve LoadBalancer Services without a class or with ours, and nothing else", () => {
    assert.equal(handles(svc("LoadBalancer")), true);
    assert.equal(handles(svc("LoadBalancer", { loadBalancerClass: "k8ts.io/servicelb" })), true);
    assert.equal(handles(svc("LoadBalancer", { loadBalancerClass: "example.com/other" })), false);
    assert.equal(handles(svc("NodePort")), false);
  });

  it("write only when the status differs, and clear a Service that stopped being a LoadBalancer", () => {
    const nodes = [node("a", { ip: "10.0.0.1" })];
    assert.deepEqual(
      wantedStatus(svc("LoadBalancer"), nodes)?.map((i) => i.ip),
      ["10.0.0.1"],
    );
    assert.equal(wantedStatus(svc("LoadBalancer", {}, ["10.0.0.1"]), nodes), undefined);
    assert.deepEqual(wantedStatus(svc("ClusterIP", {}, ["10.0.0.1"]), nodes), []);
  });
});
