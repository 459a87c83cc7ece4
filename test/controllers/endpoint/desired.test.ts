import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  EndpointAddress,
  EndpointSubset,
  Endpoints,
  Service,
} from "kubernetes-types/core/v1.js";
import { decideEndpoints } from "../../../src/controllers/endpoint/desired.js";
import {
  ANNOTATION_OVER_CAPACITY,
  capacityAnnotationSetCorrectly,
  MAX_CAPACITY,
  truncateSubsets,
} from "../../../src/controllers/endpoint/truncate.js";

const svc = (o: { clusterIP?: string; labels?: Record<string, string> } = {}): Service => ({
  metadata: { name: "web", namespace: "ns", labels: o.labels ?? { team: "blue" } },
  spec: { selector: { app: "web" }, clusterIP: o.clusterIP ?? "10.96.0.10" },
});
const subsets: EndpointSubset[] = [
  { addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 8080, protocol: "TCP" }] },
];
const addrs = (n: number, prefix: string): EndpointAddress[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}` }));

describe("endpoints decisions", () => {
  it("creates Endpoints named after the service, with its labels and the trigger time", () => {
    const d = decideEndpoints(undefined, {
      service: svc(),
      subsets,
      triggerTime: Date.UTC(2026, 0, 1),
    });
    assert.equal(d.kind, "create");
    const ep = d.kind === "create" ? d.endpoints : undefined;
    assert.equal(ep?.metadata?.name, "web");
    assert.equal(ep?.metadata?.namespace, "ns");
    assert.deepEqual(ep?.metadata?.labels, {
      team: "blue",
      "endpoints.kubernetes.io/managed-by": "endpoint-controller",
    });
    assert.deepEqual(ep?.metadata?.annotations, {
      "endpoints.kubernetes.io/last-change-trigger-time": "2026-01-01T00:00:00Z",
    });
    assert.deepEqual(ep?.subsets, subsets);
  });

  it("labels headless services' Endpoints", () => {
    const d = decideEndpoints(undefined, {
      service: svc({ clusterIP: "None" }),
      subsets,
      triggerTime: 0,
    });
    assert.equal(
      d.kind === "create" && d.endpoints.metadata?.labels?.["service.kubernetes.io/headless"],
      "",
    );
  });

  it("writes nothing when subsets and labels match, whatever the trigger time", () => {
    const first = decideEndpoints(undefined, { service: svc(), subsets, triggerTime: 1 });
    assert.equal(first.kind, "create");
    if (first.kind !== "create") return;
    const stored: Endpoints = {
      ...first.endpoints,
      metadata: { ...first.endpoints.metadata, resourceVersion: "5" },
    };
    assert.deepEqual(decideEndpoints(stored, { service: svc(), subsets, triggerTime: 99 }), {
      kind: "none",
    });
    // A label change on the service is copied over.
    const relabelled = decideEndpoints(stored, {
      service: svc({ labels: { team: "red" } }),
      subsets,
      triggerTime: 0,
    });
    assert.equal(relabelled.kind, "update");
    if (relabelled.kind !== "update") return;
    assert.equal(relabelled.endpoints.metadata?.labels?.team, "red");
    assert.equal(relabelled.endpoints.metadata?.resourceVersion, "5");
    // No new trigger: the annotation goes.
    assert.deepEqual(relabelled.endpoints.metadata?.annotations, {});
  });

  it("drops the subsets field when no pod qualifies", () => {
    const d = decideEndpoints(undefined, { service: svc(), subsets: [], triggerTime: 0 });
    assert.equal(d.kind === "create" && d.endpoints.subsets, undefined);
  });
});

describe("endpoints capacity", () => {
  it("leaves subsets within capacity alone", () => {
    const r = truncateSubsets([{ addresses: addrs(MAX_CAPACITY, "10") }]);
    assert.equal(r.truncated, false);
    assert.equal(r.subsets[0]?.addresses?.length, MAX_CAPACITY);
  });

  it("drops not-ready addresses first, proportionally per subset", () => {
    const r = truncateSubsets([
      { addresses: addrs(600, "10"), notReadyAddresses: addrs(300, "11") },
      { addresses: addrs(200, "12"), notReadyAddresses: addrs(100, "13") },
    ]);
    assert.equal(r.truncated, true);
    // 200 not-ready fit: 3/4 of them to the first subset, 1/4 to the second.
    assert.equal(r.subsets[0]?.addresses?.length, 600);
    assert.equal(r.subsets[0]?.notReadyAddresses?.length, 150);
    assert.equal(r.subsets[1]?.addresses?.length, 200);
    assert.equal(r.subsets[1]?.notReadyAddresses?.length, 50);
  });

  it("with too many ready addresses, keeps a share of them and no not-ready ones", () => {
    const r = truncateSubsets([
      { addresses: addrs(1500, "10"), notReadyAddresses: addrs(10, "11") },
      { addresses: addrs(500, "12") },
      { notReadyAddresses: addrs(5, "13") },
    ]);
    assert.equal(r.subsets.length, 2, "a subset left empty is dropped");
    assert.equal(r.subsets[0]?.addresses?.length, 750);
    assert.equal(r.subsets[0]?.notReadyAddresses, undefined);
    assert.equal(r.subsets[1]?.addresses?.length, 250);
  });

  it("marks truncated Endpoints over capacity, and clears the mark when they shrink", () => {
    const big = [{ addresses: addrs(MAX_CAPACITY + 1, "10") }];
    const d = decideEndpoints(undefined, { service: svc(), subsets: big, triggerTime: 0 });
    assert.equal(d.kind, "create");
    if (d.kind !== "create") return;
    assert.equal(d.endpoints.metadata?.annotations?.[ANNOTATION_OVER_CAPACITY], "truncated");
    assert.equal(d.endpoints.subsets?.[0]?.addresses?.length, MAX_CAPACITY);
    assert.ok(
      !capacityAnnotationSetCorrectly(d.endpoints.metadata?.annotations, d.endpoints.subsets),
    );
    const shrunk = decideEndpoints(d.endpoints, { service: svc(), subsets, triggerTime: 0 });
    assert.equal(shrunk.kind, "update");
    assert.equal(
      shrunk.kind === "update" &&
        shrunk.endpoints.metadata?.annotations?.[ANNOTATION_OVER_CAPACITY],
      undefined,
    );
  });
});
