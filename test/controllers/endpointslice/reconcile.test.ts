import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { sliceToFill } from "../../../src/controllers/endpointslice/pack.js";
import { planSlices } from "../../../src/controllers/endpointslice/reconcile.js";
import { nodes, pod, pods, service, stored } from "./fixtures.js";

const CONTROLLER = "endpointslice-controller.k8s.io";

function plan(o: { svc?: Service; pods: Pod[]; existing?: EndpointSlice[]; max?: number }) {
  return planSlices({
    service: o.svc ?? service(),
    pods: o.pods,
    existing: o.existing ?? [],
    nodeOf: (n) => nodes[n],
    controllerName: CONTROLLER,
    ...(o.max !== undefined ? { maxEndpointsPerSlice: o.max } : {}),
  });
}

const seq = { n: 100 };

/** Applies a plan the way the API server would, returning the slices that then exist. */
function apply(existing: EndpointSlice[], p: ReturnType<typeof plan>) {
  const gone = new Set(p.delete.map((s) => s.metadata?.name));
  const updated = new Map(p.update.map((s) => [s.metadata?.name, s]));
  return [
    ...existing
      .filter((s) => !gone.has(s.metadata?.name))
      .map((s) => {
        const u = updated.get(s.metadata?.name);
        return u ? stored(u, seq.n++) : s;
      }),
    ...p.create.map((s) => stored(s, seq.n++)),
  ];
}

describe("endpointslice reconcile", () => {
  it("creates one slice for a service's pods, with conditions, topology and labels", () => {
    const p = plan({ pods: [pod(1), pod(2, { ready: false })] });
    assert.equal(p.create.length, 1);
    assert.deepEqual([p.update.length, p.delete.length, p.errors.length], [0, 0, 0]);
    const slice = p.create[0] as EndpointSlice;
    assert.equal(slice.metadata?.generateName, "web-");
    assert.equal(slice.addressType, "IPv4");
    assert.deepEqual(slice.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
    assert.deepEqual(slice.metadata?.labels, {
      team: "blue",
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": CONTROLLER,
    });
    assert.deepEqual(slice.metadata?.ownerReferences, [
      {
        apiVersion: "v1",
        kind: "Service",
        name: "web",
        uid: "svc-uid",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(slice.endpoints[0], {
      addresses: ["10.0.0.1"],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: "Pod", namespace: "ns", name: "web-1", uid: "uid-1" },
      nodeName: "node-1",
      zone: "zone-a",
    });
    assert.deepEqual(slice.endpoints[1]?.conditions, {
      ready: false,
      serving: false,
      terminating: false,
    });
  });

  it("reports a terminating ready pod as serving but not ready", () => {
    const p = plan({ pods: [pod(1, { deleting: true })] });
    assert.deepEqual(p.create[0]?.endpoints[0]?.conditions, {
      ready: false,
      serving: true,
      terminating: true,
    });
    const eager = plan({
      svc: service({ publishNotReadyAddresses: true }),
      pods: [pod(1, { deleting: true })],
    });
    assert.equal(eager.create[0]?.endpoints[0]?.conditions?.ready, true);
  });

  it("keeps a placeholder slice when there are no endpoints", () => {
    const p = plan({ pods: [] });
    assert.equal(p.create.length, 1);
    assert.deepEqual([p.create[0]?.ports, p.create[0]?.endpoints], [[], []]);
    // Once it exists nothing more is written.
    const existing = apply([], p);
    assert.deepEqual(plan({ pods: [], existing }), {
      create: [],
      update: [],
      delete: [],
      errors: [],
    });
  });

  it("reuses the placeholder for the first endpoints instead of replacing it", () => {
    const existing = apply([], plan({ pods: [] }));
    const p = plan({ pods: [pod(1)], existing });
    assert.deepEqual([p.create.length, p.delete.length], [0, 0]);
    assert.equal(p.update[0]?.metadata?.name, existing[0]?.metadata?.name);
    assert.equal(p.update[0]?.metadata?.resourceVersion, existing[0]?.metadata?.resourceVersion);
    assert.equal(p.update[0]?.endpoints.length, 1);
  });

  it("packs at most maxEndpointsPerSlice endpoints to a slice", () => {
    const p = plan({ pods: pods(250) });
    assert.deepEqual(
      p.create.map((s) => s.endpoints.length),
      [100, 100, 50],
    );
    const small = plan({ pods: pods(5), max: 2 });
    assert.deepEqual(
      small.create.map((s) => s.endpoints.length),
      [2, 2, 1],
    );
  });

  it("writes nothing when the slices already match", () => {
    const existing = apply([], plan({ pods: pods(150) }));
    assert.deepEqual(plan({ pods: pods(150), existing }), {
      create: [],
      update: [],
      delete: [],
      errors: [],
    });
  });

  it("updates only the slice whose endpoint changed, in place", () => {
    const existing = apply([], plan({ pods: pods(150) }));
    const changed = pods(150).map((p, i) => (i === 120 ? pod(120, { ready: false }) : p));
    const p = plan({ pods: changed, existing });
    assert.deepEqual([p.create.length, p.delete.length, p.update.length], [0, 0, 1]);
    const ep = p.update[0]?.endpoints.find((e) => e.targetRef?.name === "web-120");
    assert.equal(ep?.conditions?.ready, false);
  });

  it("removes endpoints of departed pods and adds new pods to slices being updated", () => {
    const existing = apply([], plan({ pods: pods(3) }));
    const p = plan({ pods: [pod(0), pod(1), pod(7)], existing });
    assert.deepEqual([p.create.length, p.delete.length, p.update.length], [0, 0, 1]);
    assert.deepEqual(p.update[0]?.endpoints.map((e) => e.targetRef?.name).sort(), [
      "web-0",
      "web-1",
      "web-7",
    ]);
  });

  it("deletes a slice left empty, and fills the fullest unchanged slice with newcomers", () => {
    let existing = apply([], plan({ pods: pods(100) }));
    existing = apply(existing, plan({ pods: pods(130), existing }));
    assert.deepEqual(
      existing.map((s) => s.endpoints.length),
      [100, 30],
    );
    // web-100..129 leave, 10 arrive: the emptied slice goes, they fit nowhere else.
    const p = plan({ pods: [...pods(100), ...pods(10, 200)], existing });
    assert.equal(p.update.length + p.create.length, 1);
    assert.equal(p.delete.length, p.create.length === 0 ? 0 : 1);
    const after = apply(existing, p);
    assert.equal(after.flatMap((s) => s.endpoints).length, 110);
    assert.ok(after.every((s) => s.endpoints.length <= 100));
  });

  it("groups pods by the ports they resolve, one slice set per port set", () => {
    const svc = service({
      ports: [{ name: "http", port: 80, targetPort: "web", protocol: "TCP" }],
    });
    const p = plan({
      svc,
      pods: [
        pod(1, { ports: [{ name: "web", containerPort: 8080 }] }),
        pod(2, { ports: [{ name: "web", containerPort: 9090 }] }),
        pod(3),
      ],
    });
    const byPorts = new Map(
      p.create.map((s) => [JSON.stringify(s.ports), s.endpoints.map((e) => e.targetRef?.name)]),
    );
    assert.equal(p.create.length, 3);
    assert.deepEqual(byPorts.get(JSON.stringify([{ name: "http", port: 8080, protocol: "TCP" }])), [
      "web-1",
    ]);
    assert.deepEqual(byPorts.get(JSON.stringify([{ name: "http", port: 9090, protocol: "TCP" }])), [
      "web-2",
    ]);
    // A pod without the named port still gets an endpoint, with no ports.
    assert.deepEqual(byPorts.get("[]"), ["web-3"]);
  });

  it("deletes slices not owned by this service (left from an earlier one of that name)", () => {
    const existing = apply([], plan({ pods: [pod(1)] })).map((s) => ({
      ...s,
      metadata: {
        ...s.metadata,
        ownerReferences: [{ apiVersion: "v1", kind: "Service", name: "web", uid: "old" }],
      },
    }));
    const p = plan({ pods: [pod(1)], existing });
    assert.equal(p.delete.length, 1);
    assert.equal(p.create.length, 1, "an unowned slice is never recycled");
  });

  it("follows the service's labels", () => {
    const existing = apply([], plan({ pods: [pod(1)] }));
    const svc = service();
    svc.metadata = { ...svc.metadata, labels: { team: "red" } };
    const p = plan({ svc, pods: [pod(1)], existing });
    assert.equal(p.update[0]?.metadata?.labels?.team, "red");
  });

  it("labels headless services' slices and uses both families without IP families", () => {
    const headless = service({ clusterIP: "None", ipFamilies: [] });
    const p = plan({ svc: headless, pods: [pod(1)] });
    assert.deepEqual(p.create.map((s) => s.addressType).sort(), ["IPv4", "IPv6"]);
    assert.equal(p.create[0]?.metadata?.labels?.["service.kubernetes.io/headless"], "");
  });

  it("leaves out pods on unknown nodes and reports them, unless publishing not-ready addresses", () => {
    const p = plan({ pods: [pod(1), pod(2, { node: "ghost" })] });
    assert.equal(p.create[0]?.endpoints.length, 1);
    assert.match(p.errors[0] ?? "", /Node ghost Not Found/);
    const eager = plan({
      svc: service({ publishNotReadyAddresses: true }),
      pods: [pod(2, { node: "ghost" })],
    });
    assert.deepEqual([eager.create[0]?.endpoints.length, eager.errors.length], [1, 0]);
    assert.equal(eager.create[0]?.endpoints[0]?.zone, undefined);
  });

  it("picks the slice closest to full that still fits", () => {
    const s = (n: number) => ({
      addressType: "IPv4",
      endpoints: pods(n).map(() => ({ addresses: ["x"] })),
    });
    assert.equal(sliceToFill([s(10), s(90), s(95)], { count: 8, max: 100 })?.endpoints.length, 90);
    assert.equal(sliceToFill([s(95)], { count: 8, max: 100 }), undefined);
  });
});
