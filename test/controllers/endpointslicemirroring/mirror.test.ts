import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EndpointAddress, Endpoints } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import {
  addressToEndpoint,
  MIRRORING_CONTROLLER,
  shouldMirror,
} from "../../../src/controllers/endpointslicemirroring/mirror.js";
import { planMirror } from "../../../src/controllers/endpointslicemirroring/plan.js";

const port = { name: "pg", port: 5432, protocol: "TCP" };
const endpoints = (
  subsets: NonNullable<Endpoints["subsets"]>,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Endpoints => ({
  metadata: { name: "db", namespace: "ns", uid: "ep-uid", ...meta },
  subsets,
});
const ips = (...list: string[]): EndpointAddress[] => list.map((ip) => ({ ip }));

/** Plays the API server for created slices. */
const stored = (slice: EndpointSlice, n: number): EndpointSlice => {
  const meta = {
    ...slice.metadata,
    name: slice.metadata?.name ?? `db-${n}`,
    resourceVersion: String(n),
  };
  delete meta.generateName;
  return { ...slice, metadata: meta };
};

describe("endpoints mirroring", () => {
  it("mirrors only Endpoints without skip-mirror, leader locks or the endpoint controller's mark", () => {
    assert.ok(shouldMirror(endpoints([])));
    assert.ok(
      !shouldMirror(
        endpoints([], { labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } }),
      ),
    );
    assert.ok(
      shouldMirror(
        endpoints([], { labels: { "endpointslice.kubernetes.io/skip-mirror": "false" } }),
      ),
    );
    assert.ok(
      !shouldMirror(
        endpoints([], { annotations: { "control-plane.alpha.kubernetes.io/leader": "{}" } }),
      ),
    );
    assert.ok(
      !shouldMirror(
        endpoints([], { labels: { "endpoints.kubernetes.io/managed-by": "endpoint-controller" } }),
      ),
    );
    assert.ok(!shouldMirror(undefined));
  });

  it("turns addresses into endpoints, rejecting non-IPs and tidying IPv4", () => {
    const r = addressToEndpoint(
      { ip: "010.0.0.1", nodeName: "n", hostname: "h", targetRef: { kind: "Pod", name: "p" } },
      false,
    );
    assert.deepEqual(r, {
      addressType: "IPv4",
      endpoint: {
        addresses: ["10.0.0.1"],
        conditions: { ready: false },
        targetRef: { kind: "Pod", name: "p" },
        nodeName: "n",
        hostname: "h",
      },
    });
    assert.equal(addressToEndpoint({ ip: "fd00::1" }, true)?.addressType, "IPv6");
    assert.equal(addressToEndpoint({ ip: "db.example.com" }, true), undefined);
  });

  it("creates one slice per subset and family, copying labels and annotations", () => {
    const ep = endpoints(
      [
        {
          addresses: ips("10.0.0.1", "fd00::1"),
          notReadyAddresses: ips("10.0.0.2"),
          ports: [port],
        },
        { addresses: ips("10.0.0.3"), ports: [{ ...port, port: 6432 }] },
      ],
      {
        labels: { db: "pg" },
        annotations: {
          note: "hand",
          "endpoints.kubernetes.io/last-change-trigger-time": "x",
          "kubectl.kubernetes.io/last-applied-configuration": "{}",
        },
      },
    );
    const p = planMirror(ep, { existing: [] });
    assert.equal(p.create.length, 3);
    assert.deepEqual([p.update.length, p.delete.length, p.invalid, p.skipped], [0, 0, 0, 0]);
    const v4 = p.create.find((s) => s.addressType === "IPv4" && s.ports?.[0]?.port === 5432);
    assert.deepEqual(v4?.metadata?.labels, {
      db: "pg",
      "kubernetes.io/service-name": "db",
      "endpointslice.kubernetes.io/managed-by": MIRRORING_CONTROLLER,
    });
    assert.deepEqual(v4?.metadata?.annotations, { note: "hand" });
    assert.equal(v4?.metadata?.generateName, "db-");
    assert.equal(v4?.metadata?.ownerReferences?.[0]?.kind, "Endpoints");
    assert.deepEqual(
      v4?.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]),
      [
        ["10.0.0.1", true],
        ["10.0.0.2", false],
      ],
    );
    assert.ok(p.create.some((s) => s.addressType === "IPv6"));
  });

  it("writes nothing once mirrored, and rewrites the slice in place on change", () => {
    const ep = endpoints([{ addresses: ips("10.0.0.1"), ports: [port] }]);
    const existing = planMirror(ep, { existing: [] }).create.map(stored);
    const again = planMirror(ep, { existing });
    assert.deepEqual([again.create, again.update, again.delete], [[], [], []]);
    const changed = planMirror(endpoints([{ addresses: ips("10.0.0.9"), ports: [port] }]), {
      existing,
    });
    assert.equal(changed.update.length, 1);
    assert.equal(changed.update[0]?.metadata?.name, existing[0]?.metadata?.name);
    assert.equal(
      changed.update[0]?.metadata?.resourceVersion,
      existing[0]?.metadata?.resourceVersion,
    );
    assert.deepEqual(changed.update[0]?.endpoints[0]?.addresses, ["10.0.0.9"]);
  });

  it("recycles a slice whose ports changed and deletes what is no longer wanted", () => {
    const existing = planMirror(endpoints([{ addresses: ips("10.0.0.1"), ports: [port] }]), {
      existing: [],
    }).create.map(stored);
    const moved = planMirror(
      endpoints([{ addresses: ips("10.0.0.1"), ports: [{ ...port, port: 6432 }] }]),
      {
        existing,
      },
    );
    assert.deepEqual([moved.create.length, moved.delete.length, moved.update.length], [0, 0, 1]);
    assert.equal(moved.update[0]?.ports?.[0]?.port, 6432);
    const emptied = planMirror(endpoints([]), { existing });
    assert.deepEqual([emptied.create.length, emptied.delete.length], [0, 1]);
  });

  it("counts invalid addresses and caps each subset", () => {
    const p = planMirror(
      endpoints([{ addresses: ips("10.0.0.1", "0bad", "10.0.0.2", "10.0.0.3"), ports: [port] }]),
      {
        existing: [],
        maxEndpointsPerSubset: 2,
      },
    );
    assert.equal(p.invalid, 1);
    assert.equal(p.skipped, 2);
    assert.equal(p.create[0]?.endpoints.length, 2);
  });
});
