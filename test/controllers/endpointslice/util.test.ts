import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { endpointHash, portMapKey } from "../../../src/controllers/endpointslice/endpoint-set.js";
import {
  podServiceMemberships,
  servicesToUpdateOnPodChange,
} from "../../../src/controllers/endpointslice/memberships.js";
import {
  findPort,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from "../../../src/controllers/endpointslice/pod-endpoints.js";
import {
  compareResourceVersions,
  EndpointSliceTracker,
} from "../../../src/controllers/endpointslice/slice-tracker.js";
import {
  formatTriggerTime,
  TriggerTimeTracker,
} from "../../../src/controllers/endpointslice/trigger-time.js";
import { pod, service } from "./fixtures.js";

const svc = (name: string, selector?: Record<string, string>): Service => ({
  metadata: { name, namespace: "ns" },
  spec: selector ? { selector } : {},
});
const labelled = (labels: Record<string, string>, rv = "1"): Pod => ({
  ...pod(1),
  metadata: { ...pod(1).metadata, labels, resourceVersion: rv },
});

describe("pod service memberships", () => {
  const services = [svc("a", { app: "a" }), svc("b", { tier: "web" }), svc("manual")];

  it("finds services whose selector matches; a missing selector selects nothing", () => {
    assert.deepEqual(
      [...podServiceMemberships(services, labelled({ app: "a", tier: "web" }))],
      ["ns/a", "ns/b"],
    );
    assert.deepEqual([...podServiceMemberships(services, labelled({}))], []);
  });

  it("on update, syncs nothing for irrelevant changes and only joins/leaves for label moves", () => {
    const old = labelled({ app: "a" }, "1");
    assert.deepEqual([...servicesToUpdateOnPodChange(services, { old, cur: old })], []);
    const annotated = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: "2", annotations: { x: "y" } },
    };
    assert.deepEqual([...servicesToUpdateOnPodChange(services, { old, cur: annotated })], []);
    const moved = labelled({ app: "a", tier: "web" }, "2");
    assert.deepEqual([...servicesToUpdateOnPodChange(services, { old, cur: moved })], ["ns/b"]);
    const unready: Pod = {
      ...moved,
      metadata: { ...moved.metadata, resourceVersion: "3" },
      status: { ...moved.status, conditions: [{ type: "Ready", status: "False" }] },
    };
    assert.deepEqual(
      [...servicesToUpdateOnPodChange(services, { old: moved, cur: unready })].sort(),
      ["ns/a", "ns/b"],
    );
  });
});

describe("pod endpoint rules", () => {
  it("includes only pods with an IP that are not finished (nor terminating, unless asked)", () => {
    assert.ok(shouldPodBeInEndpoints(pod(1), false));
    assert.ok(!shouldPodBeInEndpoints({ ...pod(1), status: { phase: "Running" } }, true));
    assert.ok(
      !shouldPodBeInEndpoints({ ...pod(1), status: { ...pod(1).status, phase: "Failed" } }, true),
    );
    assert.ok(!shouldPodBeInEndpoints(pod(1, { deleting: true }), false));
    assert.ok(shouldPodBeInEndpoints(pod(1, { deleting: true }), true));
  });

  it("finds numeric and named target ports, matching the protocol", () => {
    const p = pod(1, { ports: [{ name: "http", containerPort: 8080 }] });
    assert.equal(findPort(p, { port: 80, targetPort: 9000 }), 9000);
    assert.equal(findPort(p, { port: 80, targetPort: "http", protocol: "TCP" }), 8080);
    assert.equal(findPort(p, { port: 80, targetPort: "http", protocol: "UDP" }), undefined);
    assert.equal(findPort(p, { port: 80, targetPort: "dns" }), undefined);
    const sidecar: Pod = {
      ...p,
      spec: {
        containers: [],
        initContainers: [
          { name: "s", restartPolicy: "Always", ports: [{ name: "m", containerPort: 9100 }] },
        ],
      },
    };
    assert.equal(findPort(sidecar, { port: 80, targetPort: "m" }), 9100);
  });

  it("sets a hostname only under the service named as the pod's subdomain", () => {
    const p: Pod = { ...pod(1), spec: { containers: [], hostname: "h", subdomain: "web" } };
    assert.ok(shouldSetHostname(p, service()));
    assert.ok(!shouldSetHostname({ ...p, spec: { containers: [], subdomain: "web" } }, service()));
    assert.ok(
      !shouldSetHostname(p, { ...service(), metadata: { name: "web", namespace: "other" } }),
    );
  });
});

describe("endpoint identity", () => {
  it("ignores address order and conditions, and port order", () => {
    const a = { addresses: ["b", "a"], conditions: { ready: true } };
    const b = { addresses: ["a", "b"], conditions: { ready: false } };
    assert.equal(endpointHash(a), endpointHash(b));
    const p1 = { name: "a", port: 1, protocol: "TCP" };
    const p2 = { name: "b", port: 2, protocol: "TCP" };
    assert.equal(portMapKey([p1, p2]), portMapKey([p2, p1]));
    assert.notEqual(portMapKey([p1]), portMapKey([p2]));
  });
});

describe("trigger times", () => {
  const readyAt = (i: number, time: string): Pod => ({
    ...pod(i),
    status: {
      ...pod(i).status,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: time }],
    },
  });
  const created = {
    ...service(),
    metadata: { ...service().metadata, creationTimestamp: "2026-01-01T00:00:00Z" },
  };

  it("reports the service's creation first, then the earliest changed pod transition", () => {
    const t = new TriggerTimeTracker();
    const first = t.compute("ns/web", {
      service: created,
      pods: [readyAt(1, "2026-01-02T00:00:00Z")],
    });
    assert.equal(formatTriggerTime(first), "2026-01-01T00:00:00Z");
    const unchanged = t.compute("ns/web", {
      service: created,
      pods: [readyAt(1, "2026-01-02T00:00:00Z")],
    });
    assert.equal(unchanged, 0);
    const next = t.compute("ns/web", {
      service: created,
      pods: [readyAt(1, "2026-01-03T00:00:00Z"), readyAt(2, "2026-01-04T00:00:00Z")],
    });
    assert.equal(formatTriggerTime(next), "2026-01-03T00:00:00Z");
  });

  it("formats like Go's RFC3339Nano", () => {
    assert.equal(formatTriggerTime(Date.UTC(2026, 0, 1, 0, 0, 0, 500)), "2026-01-01T00:00:00.5Z");
  });
});

describe("endpointslice tracker", () => {
  const slice = (uid: string, rv: string): EndpointSlice => ({
    addressType: "IPv4",
    endpoints: [],
    metadata: {
      namespace: "ns",
      uid,
      resourceVersion: rv,
      labels: { "kubernetes.io/service-name": "web" },
    },
  });

  it("skips the echo of its own write and syncs on anyone else's", () => {
    const t = new EndpointSliceTracker();
    assert.ok(t.shouldSync(slice("a", "5")), "never written by us");
    t.update(slice("a", "5"));
    assert.ok(!t.shouldSync(slice("a", "5")));
    assert.ok(!t.shouldSync(slice("a", "4")), "an older version is not news");
    assert.ok(t.shouldSync(slice("a", "6")));
  });

  it("calls the cache stale while it lags a write or still holds a deleted slice", () => {
    const t = new EndpointSliceTracker();
    t.update(slice("a", "5"));
    assert.ok(t.stale("ns/web", []), "created slice not seen yet");
    assert.ok(t.stale("ns/web", [slice("a", "4")]));
    assert.ok(!t.stale("ns/web", [slice("a", "5")]));
    t.expectDeletion(slice("a", "5"));
    assert.ok(t.stale("ns/web", [slice("a", "5")]));
    assert.ok(t.handleDeletion(slice("a", "5")), "the deletion was expected");
    assert.ok(!t.stale("ns/web", []));
    t.update(slice("b", "7"));
    assert.ok(!t.handleDeletion(slice("b", "7")), "someone else deleted it");
  });

  it("orders resourceVersions numerically", () => {
    assert.equal(compareResourceVersions("9", "10"), -1);
    assert.equal(compareResourceVersions("10", "10"), 0);
  });
});
