import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbsentOwnerCache } from "../../../src/controllers/garbagecollector/absent-owner-cache.js";
import {
  type ApiResource,
  groupResourceName,
  parseApiVersion,
  RestMapper,
  resourcesOf,
} from "../../../src/controllers/garbagecollector/api-resources.js";
import { mergeDiscovery } from "../../../src/controllers/garbagecollector/garbage-collector.js";
import { trimToMetadata } from "../../../src/controllers/garbagecollector/metadata-client.js";

const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const res = (o: Partial<ApiResource> & { resource: string; kind: string }): ApiResource => ({
  group: "",
  version: "v1",
  namespaced: true,
  verbs: ALL,
  preferred: true,
  ...o,
});

describe("discovered resources", () => {
  it("keeps resources and drops subresources of an APIResourceList", () => {
    const list = resourcesOf(
      [
        { name: "pods", kind: "Pod", namespaced: true, verbs: ALL },
        { name: "pods/status", kind: "Pod", namespaced: true, verbs: ["get"] },
        { name: "nodes", kind: "Node", namespaced: false, verbs: ["get", "list"] },
      ],
      { group: "", version: "v1", preferred: true },
    );
    assert.deepEqual(
      list.map((r) => [r.resource, r.namespaced]),
      [
        ["pods", true],
        ["nodes", false],
      ],
    );
  });

  it("parses apiVersions and names group resources as upstream prints them", () => {
    assert.deepEqual(parseApiVersion("apps/v1"), { group: "apps", version: "v1" });
    assert.deepEqual(parseApiVersion("v1"), { group: "", version: "v1" });
    assert.equal(groupResourceName({ group: "", resource: "pods" }), "pods");
    assert.equal(groupResourceName({ group: "apps", resource: "deployments" }), "deployments.apps");
  });

  it("maps an apiVersion and kind to the resource serving it", () => {
    const mapper = new RestMapper([
      res({ resource: "configmaps", kind: "ConfigMap" }),
      res({
        group: "autoscaling",
        version: "v2",
        resource: "horizontalpodautoscalers",
        kind: "HorizontalPodAutoscaler",
      }),
      res({
        group: "autoscaling",
        version: "v1",
        resource: "horizontalpodautoscalers",
        kind: "HorizontalPodAutoscaler",
        preferred: false,
      }),
    ]);
    assert.equal(mapper.resourceFor("v1", "ConfigMap")?.resource, "configmaps");
    assert.equal(mapper.resourceFor("autoscaling/v1", "HorizontalPodAutoscaler")?.version, "v1");
    assert.equal(mapper.resourceFor("v1", "Nope"), undefined);
    assert.equal(mapper.resourceFor("apps/v1", "ConfigMap"), undefined);
  });

  it("watches preferred versions that can be listed, watched and deleted, never events", () => {
    const mapper = new RestMapper([
      res({ resource: "configmaps", kind: "ConfigMap" }),
      res({ resource: "events", kind: "Event" }),
      res({ group: "events.k8s.io", resource: "events", kind: "Event" }),
      res({ resource: "bindings", kind: "Binding", verbs: ["create"] }),
      res({ group: "autoscaling", version: "v1", resource: "hpas", kind: "H", preferred: false }),
      res({ resource: "nodes", kind: "Node", namespaced: false }),
    ]);
    assert.deepEqual(
      mapper.garbageCollectable().map((r) => r.resource),
      ["configmaps", "nodes"],
    );
    assert.deepEqual(
      mapper.namespacedDeletable().map((r) => `${r.group}/${r.resource}`),
      ["/configmaps", "/events", "events.k8s.io/events"],
    );
  });

  it("keeps what the last discovery found for group versions that failed this time", () => {
    const cm = res({ resource: "configmaps", kind: "ConfigMap" });
    const deploy = res({ group: "apps", resource: "deployments", kind: "Deployment" });
    const job = res({ group: "batch", resource: "jobs", kind: "Job" });
    const merged = mergeDiscovery({
      previous: [cm, deploy, job],
      found: [cm],
      failedGroupVersions: new Set(["apps/v1"]),
    });
    assert.deepEqual(
      merged.map((r) => r.resource),
      ["configmaps", "deployments"],
    );
  });
});

describe("absent owner cache", () => {
  const owner = (uid: string) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    name: uid,
    namespace: "",
    uid,
  });

  it("forgets the least recently used owner beyond its size", () => {
    const cache = new AbsentOwnerCache(2);
    cache.add(owner("a"));
    cache.add(owner("b"));
    assert.ok(cache.has(owner("a")), "a hit makes a the most recent");
    cache.add(owner("c"));
    assert.ok(cache.has(owner("a")));
    assert.ok(!cache.has(owner("b")));
    assert.ok(cache.has(owner("c")));
  });

  it("tells namespaces apart", () => {
    const cache = new AbsentOwnerCache();
    cache.add({ ...owner("a"), namespace: "x" });
    assert.ok(!cache.has(owner("a")));
  });
});

describe("metadata-only watch objects", () => {
  it("keeps only what the graph reads", () => {
    const trimmed = trimToMetadata({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        namespace: "ns",
        uid: "u",
        resourceVersion: "7",
        labels: { a: "b" },
        annotations: { big: "x".repeat(1000) },
        ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "o" }],
        finalizers: ["f"],
        deletionTimestamp: "2026-01-01T00:00:00Z",
      },
      ...{ spec: { containers: [] } },
    });
    assert.deepEqual(trimmed, {
      metadata: {
        name: "p",
        namespace: "ns",
        uid: "u",
        resourceVersion: "7",
        deletionTimestamp: "2026-01-01T00:00:00Z",
        ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "o" }],
        finalizers: ["f"],
      },
    });
  });
});
