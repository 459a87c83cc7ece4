import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import type { ApiResource } from "../../../src/controllers/garbagecollector/api-resources.js";
import {
  attemptToDelete,
  type GcDeps,
} from "../../../src/controllers/garbagecollector/attempt-to-delete.js";
import { attemptToOrphan } from "../../../src/controllers/garbagecollector/attempt-to-orphan.js";
import type { Propagation } from "../../../src/controllers/garbagecollector/decide.js";
import {
  DependencyGraph,
  type ObservedObject,
} from "../../../src/controllers/garbagecollector/graph.js";
import type {
  ObjectIdentity,
  OwnerReference,
} from "../../../src/controllers/garbagecollector/identity.js";
import {
  type LiveObject,
  RestMappingError,
} from "../../../src/controllers/garbagecollector/operations.js";
import type { JsonPatchOp } from "../../../src/controllers/garbagecollector/patches.js";

const RESOURCES: Record<string, { resource: string; namespaced: boolean }> = {
  ConfigMap: { resource: "configmaps", namespaced: true },
  Node: { resource: "nodes", namespaced: false },
};

/** The API server, reduced to objects' metadata and a log of what was asked of it. */
class FakeApi {
  objects = new Map<string, LiveObject>();
  deleted: Array<{ uid: string; policy: Propagation }> = [];
  patched: Array<{ uid: string; ops: JsonPatchOp[] }> = [];

  private key(id: ObjectIdentity): string {
    const r = this.resourceFor(id.apiVersion, id.kind);
    return `${r.resource}/${r.namespaced ? id.namespace : ""}/${id.name}`;
  }

  put(id: ObjectIdentity, o: Partial<LiveObject> = {}): void {
    this.objects.set(this.key(id), {
      name: id.name,
      uid: id.uid,
      resourceVersion: "1",
      beingDeleted: false,
      ownerReferences: [],
      finalizers: [],
      ...o,
    });
  }

  resourceFor(apiVersion: string, kind: string): ApiResource {
    const r = RESOURCES[kind];
    if (!r || apiVersion !== "v1") throw new RestMappingError(apiVersion, kind);
    return { group: "", version: "v1", kind, verbs: [], preferred: true, ...r };
  }

  async get(id: ObjectIdentity): Promise<LiveObject | undefined> {
    const o = this.objects.get(this.key(id));
    return o?.uid === id.uid ? o : undefined;
  }

  async delete(id: ObjectIdentity, opts: { policy: Propagation }): Promise<boolean> {
    if (!(await this.get(id))) return false;
    this.objects.delete(this.key(id));
    this.deleted.push({ uid: id.uid, policy: opts.policy });
    return true;
  }

  async patch(
    id: ObjectIdentity,
    edit: (live: LiveObject) => JsonPatchOp[] | undefined,
  ): Promise<boolean> {
    const live = await this.get(id);
    if (!live) return false;
    const ops = edit(live);
    if (ops) this.patched.push({ uid: id.uid, ops });
    return true;
  }
}

const id = (uid: string, o: Partial<ObjectIdentity> = {}): ObjectIdentity => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name: uid,
  namespace: "ns",
  uid,
  ...o,
});
const refTo = (o: ObjectIdentity, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.name,
  uid: o.uid,
  ...extra,
});
const observed = (
  identity: ObjectIdentity,
  o: { owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean } = {},
): ObservedObject => ({
  identity,
  ownerReferences: o.owners ?? [],
  finalizers: o.finalizers ?? [],
  beingDeleted: o.deleting ?? false,
});

describe("attemptToDelete and attemptToOrphan", () => {
  let api: FakeApi;
  let graph: DependencyGraph;
  let queued: string[];
  let deps: GcDeps;
  const owner = id("owner");
  /** An object both the API and the graph have. */
  const exists = (
    identity: ObjectIdentity,
    o: { owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean } = {},
  ) => {
    api.put(identity, {
      ownerReferences: o.owners ?? [],
      finalizers: o.finalizers ?? [],
      beingDeleted: o.deleting ?? false,
    });
    graph.observe({ type: "add", object: observed(identity, o) });
  };

  beforeEach(() => {
    api = new FakeApi();
    queued = [];
    graph = new DependencyGraph({
      attemptToDelete: (uid) => queued.push(uid),
      attemptToOrphan: () => {},
      invalidOwnerNamespace: () => {},
    });
    deps = { graph, ops: api, enqueueDelete: (uid) => queued.push(uid) };
  });

  it("deletes a dependent in the background once a live lookup finds its owner gone", async () => {
    exists(id("dep"), { owners: [refTo(owner)] });
    assert.equal(await attemptToDelete(deps, "dep"), "forget");
    assert.deepEqual(api.deleted, [{ uid: "dep", policy: "Background" }]);
  });

  it("keeps a dependent whose owner exists though the cache has not seen it", async () => {
    api.put(owner);
    exists(id("dep"), { owners: [refTo(owner)] });
    await attemptToDelete(deps, "dep");
    assert.deepEqual(api.deleted, []);
  });

  it("treats an owner recreated under the same name as gone", async () => {
    api.put(id("owner", { uid: "new-owner" }));
    exists(id("dep"), { owners: [refTo(owner)] });
    await attemptToDelete(deps, "dep");
    assert.deepEqual(api.deleted, [{ uid: "dep", policy: "Background" }]);
  });

  it("drops a virtual owner the API does not have and queues its dependents", async () => {
    exists(id("dep"), { owners: [refTo(owner)] });
    queued = [];
    assert.equal(await attemptToDelete(deps, "owner"), "forget");
    assert.equal(graph.node("owner"), undefined);
    assert.deepEqual(queued, ["dep"]);
    assert.ok(graph.absentOwners.has(owner), "its other dependents skip the lookup");
  });

  it("looks again at a virtual owner that exists but no watch has reported yet", async () => {
    api.put(owner);
    exists(id("dep"), { owners: [refTo(owner)] });
    assert.equal(await attemptToDelete(deps, "owner"), "requeue");
  });

  it("removes foregroundDeletion once no blocking dependent is left", async () => {
    exists(owner, { deleting: true, finalizers: ["foregroundDeletion"] });
    exists(id("free"), { owners: [refTo(owner, { blockOwnerDeletion: false })] });
    await attemptToDelete(deps, "owner");
    assert.deepEqual(api.patched, [
      {
        uid: "owner",
        ops: [
          { op: "test", path: "/metadata/uid", value: "owner" },
          { op: "test", path: "/metadata/finalizers", value: ["foregroundDeletion"] },
          { op: "remove", path: "/metadata/finalizers" },
        ],
      },
    ]);
  });

  it("sends the blocking dependents of a foreground deletion to be deleted", async () => {
    exists(owner, { deleting: true, finalizers: ["foregroundDeletion"] });
    exists(id("dep"), { owners: [refTo(owner, { blockOwnerDeletion: true })] });
    queued = [];
    await attemptToDelete(deps, "owner");
    assert.deepEqual(api.patched, []);
    assert.deepEqual(queued, ["dep"]);
    await attemptToDelete(deps, "dep");
    assert.deepEqual(api.deleted, [{ uid: "dep", policy: "Background" }]);
  });

  it("strips references to gone owners from a dependent that keeps a live one", async () => {
    const other = id("other");
    exists(other);
    exists(id("dep"), { owners: [refTo(owner), refTo(other)] });
    await attemptToDelete(deps, "dep");
    assert.deepEqual(api.deleted, []);
    assert.deepEqual(api.patched[0]?.ops.at(-1), {
      op: "replace",
      path: "/metadata/ownerReferences",
      value: [refTo(other)],
    });
  });

  it("looks cluster-scoped owners up outside the dependent's namespace", async () => {
    const node = id("node-1", { kind: "Node", namespace: "" });
    api.put(node);
    exists(id("dep"), { owners: [refTo(node)] });
    await attemptToDelete(deps, "dep");
    assert.deepEqual(api.deleted, []);
  });

  it("gives up on a cluster-scoped object that names a namespaced owner", async () => {
    exists(id("node-1", { kind: "Node", namespace: "" }), { owners: [refTo(owner)] });
    assert.equal(await attemptToDelete(deps, "node-1"), "forget");
    assert.deepEqual(api.deleted, []);
  });

  it("retries when the owner's kind is not served", async () => {
    exists(id("dep"), { owners: [refTo(id("x", { kind: "Widget" }))] });
    await assert.rejects(attemptToDelete(deps, "dep"), RestMappingError);
  });

  it("leaves objects already being deleted alone", async () => {
    exists(id("dep"), { owners: [refTo(owner)], deleting: true, finalizers: ["example.com/x"] });
    assert.equal(await attemptToDelete(deps, "dep"), "forget");
    assert.deepEqual(api.deleted, []);
  });

  it("orphans: removes the owner from every dependent, then the orphan finalizer", async () => {
    exists(owner, { deleting: true, finalizers: ["orphan"] });
    exists(id("a"), { owners: [refTo(owner)] });
    exists(id("b"), { owners: [refTo(owner), refTo(id("other"))] });
    assert.equal(await attemptToOrphan(deps, "owner"), "forget");
    assert.deepEqual(
      api.patched.map((p) => [p.uid, p.ops.at(-1)]),
      [
        ["a", { op: "remove", path: "/metadata/ownerReferences" }],
        ["b", { op: "replace", path: "/metadata/ownerReferences", value: [refTo(id("other"))] }],
        ["owner", { op: "remove", path: "/metadata/finalizers" }],
      ],
    );
  });
});
