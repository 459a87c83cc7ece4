import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  DependencyGraph,
  type GraphSink,
  type ObservedObject,
} from "../../../src/controllers/garbagecollector/graph.js";
import type {
  ObjectIdentity,
  OwnerReference,
} from "../../../src/controllers/garbagecollector/identity.js";
import {
  alternateOwnerIdentity,
  diffRefs,
} from "../../../src/controllers/garbagecollector/references.js";

class RecordingSink implements GraphSink {
  deletes: string[] = [];
  rateLimited: string[] = [];
  orphans: string[] = [];
  invalid: Array<{ dependent: string; owner: string }> = [];
  attemptToDelete(uid: string, opts?: { rateLimited?: boolean }): void {
    (opts?.rateLimited ? this.rateLimited : this.deletes).push(uid);
  }
  attemptToOrphan(uid: string): void {
    this.orphans.push(uid);
  }
  invalidOwnerNamespace(dependent: ObjectIdentity, owner: OwnerReference): void {
    this.invalid.push({ dependent: dependent.uid, owner: owner.uid });
  }
  clear(): void {
    this.deletes = [];
    this.rateLimited = [];
    this.orphans = [];
    this.invalid = [];
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

const refTo = (owner: ObjectIdentity, o: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.name,
  uid: owner.uid,
  ...o,
});

const obj = (
  identity: ObjectIdentity,
  o: { owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean } = {},
): ObservedObject => ({
  identity,
  ownerReferences: o.owners ?? [],
  finalizers: o.finalizers ?? [],
  beingDeleted: o.deleting ?? false,
});

describe("dependency graph", () => {
  let sink: RecordingSink;
  let graph: DependencyGraph;
  const owner = id("owner");
  const add = (o: ObservedObject) => graph.observe({ type: "add", object: o });

  beforeEach(() => {
    sink = new RecordingSink();
    graph = new DependencyGraph(sink);
  });

  it("gives an owner not seen yet a virtual node and queues it for verification", () => {
    add(obj(id("dep"), { owners: [refTo(owner)] }));
    const node = graph.node("owner");
    assert.equal(node?.virtual, true);
    assert.deepEqual(node?.identity, owner);
    assert.deepEqual(
      [...(node?.dependents ?? [])].map((d) => d.uid),
      ["dep"],
    );
    assert.deepEqual(sink.deletes, ["owner"]);
  });

  it("makes a virtual node real when its object is observed", () => {
    add(obj(id("dep"), { owners: [refTo(owner)] }));
    sink.clear();
    add(obj(owner));
    assert.equal(graph.node("owner")?.virtual, false);
    assert.equal(graph.node("owner")?.dependents.size, 1);
    assert.deepEqual(sink.deletes, []);
  });

  it("queues the dependents of a deleted owner and remembers it absent", () => {
    add(obj(owner));
    add(obj(id("a"), { owners: [refTo(owner)] }));
    add(obj(id("b"), { owners: [refTo(owner)] }));
    sink.clear();
    graph.observe({ type: "delete", object: obj(owner) });
    assert.equal(graph.node("owner"), undefined);
    assert.deepEqual(sink.deletes.sort(), ["a", "b"]);
    assert.ok(graph.absentOwners.has(owner));
  });

  it("does not remember an owner without dependents as absent", () => {
    add(obj(owner));
    graph.observe({ type: "delete", object: obj(owner) });
    assert.equal(graph.absentOwners.size, 0);
  });

  it("starts a foreground deletion: marks the owner and queues it and its dependents", () => {
    add(obj(owner));
    add(obj(id("a"), { owners: [refTo(owner, { blockOwnerDeletion: true })] }));
    sink.clear();
    graph.observe({
      type: "update",
      old: obj(owner),
      object: obj(owner, { deleting: true, finalizers: ["foregroundDeletion"] }),
    });
    assert.equal(graph.node("owner")?.deletingDependents, true);
    assert.equal(graph.node("owner")?.beingDeleted, true);
    assert.deepEqual(sink.deletes, ["a", "owner"]);
  });

  it("queues an orphaning owner once, not on every later update", () => {
    add(obj(owner));
    const orphaning = obj(owner, { deleting: true, finalizers: ["orphan"] });
    graph.observe({ type: "update", old: obj(owner), object: orphaning });
    graph.observe({ type: "update", old: orphaning, object: orphaning });
    assert.deepEqual(sink.orphans, ["owner"]);
  });

  it("picks up deletions already under way when first listed", () => {
    add(obj(owner, { deleting: true, finalizers: ["orphan"] }));
    add(obj(id("fg"), { deleting: true, finalizers: ["foregroundDeletion"] }));
    assert.deepEqual(sink.orphans, ["owner"]);
    assert.equal(graph.node("fg")?.deletingDependents, true);
  });

  it("counts only dependents with blockOwnerDeletion=true as blocking", () => {
    add(obj(owner));
    add(obj(id("blocking"), { owners: [refTo(owner, { blockOwnerDeletion: true })] }));
    add(obj(id("free"), { owners: [refTo(owner, { blockOwnerDeletion: false })] }));
    assert.deepEqual(
      graph
        .node("owner")
        ?.blockingDependents()
        .map((d) => d.uid),
      ["blocking"],
    );
  });

  it("queues a foreground-deleting owner when a dependent stops blocking it", () => {
    add(obj(owner, { deleting: true, finalizers: ["foregroundDeletion"] }));
    const blocking = obj(id("a"), { owners: [refTo(owner, { blockOwnerDeletion: true })] });
    add(blocking);
    sink.clear();
    graph.observe({
      type: "update",
      old: blocking,
      object: obj(id("a"), { owners: [refTo(owner, { blockOwnerDeletion: false })] }),
    });
    assert.deepEqual(sink.deletes, ["owner"]);
  });

  it("queues a foreground-deleting owner when one of its dependents is deleted", () => {
    add(obj(owner, { deleting: true, finalizers: ["foregroundDeletion"] }));
    const dep = obj(id("a"), { owners: [refTo(owner, { blockOwnerDeletion: true })] });
    add(dep);
    sink.clear();
    graph.observe({ type: "delete", object: dep });
    assert.deepEqual(sink.deletes, ["owner"]);
    assert.equal(graph.node("owner")?.dependents.size, 0);
  });

  it("moves a dependent between owners when its references change", () => {
    const other = id("other");
    add(obj(owner));
    add(obj(other));
    const before = obj(id("a"), { owners: [refTo(owner)] });
    add(before);
    graph.observe({
      type: "update",
      old: before,
      object: obj(id("a"), { owners: [refTo(other)] }),
    });
    assert.equal(graph.node("owner")?.dependents.size, 0);
    assert.equal(graph.node("other")?.dependents.size, 1);
  });

  it("reports a dependent naming a namespaced owner of another namespace and queues it", () => {
    add(obj(id("far", { namespace: "elsewhere" })));
    add(obj(id("near"), { owners: [refTo(id("far"))] }));
    assert.deepEqual(sink.invalid, [{ dependent: "near", owner: "far" }]);
    assert.ok(sink.deletes.includes("near"));
  });

  it("reports dependents seen before their owner turned out to live in another namespace", () => {
    add(obj(id("near"), { owners: [refTo(id("far"))] }));
    sink.clear();
    add(obj(id("far", { namespace: "elsewhere" })));
    assert.deepEqual(sink.invalid, [{ dependent: "near", owner: "far" }]);
    assert.deepEqual(sink.deletes, ["near"]);
    assert.equal(graph.node("far")?.identity.namespace, "elsewhere");
  });

  it("accepts cluster-scoped owners from any namespace", () => {
    const node = id("node", { kind: "Node", namespace: "" });
    add(obj(node));
    add(obj(id("a", { namespace: "x" }), { owners: [refTo(node)] }));
    add(obj(id("b", { namespace: "y" }), { owners: [refTo(node)] }));
    assert.deepEqual(sink.invalid, []);
    assert.deepEqual(sink.deletes, []);
  });

  it("drops a virtual node verified absent and queues its dependents", () => {
    add(obj(id("dep"), { owners: [refTo(owner)] }));
    sink.clear();
    graph.virtualDelete(owner);
    assert.equal(graph.node("owner"), undefined);
    assert.deepEqual(sink.deletes, ["dep"]);
    assert.ok(graph.absentOwners.has(owner));
  });

  it("keeps a virtual node whose dependents name it otherwise, under the next identity", () => {
    const asSecret = id("owner", { kind: "Secret" });
    add(obj(id("a"), { owners: [refTo(owner)] }));
    add(obj(id("b"), { owners: [refTo(asSecret)] }));
    sink.clear();
    graph.virtualDelete(owner);
    const node = graph.node("owner");
    assert.ok(node, "kept: dependent b names it as a Secret");
    assert.deepEqual(node.identity, asSecret);
    assert.deepEqual(sink.deletes, ["a"], "the dependent that matched the absent identity");
    assert.deepEqual(sink.rateLimited, ["owner"], "the new identity is verified later");
    assert.ok(graph.absentOwners.has(owner));
  });

  it("keeps an observed node when other coordinates of its UID are verified absent", () => {
    add(obj(owner));
    add(obj(id("a"), { owners: [refTo(owner, { kind: "Secret" })] }));
    sink.clear();
    graph.virtualDelete(id("owner", { kind: "Secret" }));
    assert.ok(graph.node("owner"));
    assert.deepEqual(sink.deletes, ["a"]);
  });

  it("ignores a virtual delete for a UID it does not know", () => {
    graph.virtualDelete(id("nobody"));
    assert.equal(graph.size, 0);
  });
});

describe("graph helpers", () => {
  it("diffs owner references by UID", () => {
    const a = { apiVersion: "v1", kind: "ConfigMap", name: "a", uid: "a" };
    const b = { apiVersion: "v1", kind: "ConfigMap", name: "b", uid: "b" };
    const c = { apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "c" };
    const d = diffRefs([a, b], [{ ...b, blockOwnerDeletion: true }, c]);
    assert.deepEqual(d.added, [c]);
    assert.deepEqual(d.removed, [a]);
    assert.deepEqual(d.changed, [{ old: b, now: { ...b, blockOwnerDeletion: true } }]);
    assert.deepEqual(diffRefs([a], [{ ...a, controller: false }]).changed, []);
  });

  it("cycles through alternate identities in a stable order", () => {
    const sink = new RecordingSink();
    const graph = new DependencyGraph(sink);
    const kinds = ["Secret", "ConfigMap", "Service"];
    for (const [i, kind] of kinds.entries()) {
      graph.observe({
        type: "add",
        object: obj(id(`d${i}`), { owners: [refTo(id("x", { kind }))] }),
      });
    }
    const deps = [...(graph.node("x")?.dependents ?? [])];
    assert.equal(alternateOwnerIdentity(deps, id("x", { kind: "ConfigMap" }))?.kind, "Secret");
    assert.equal(alternateOwnerIdentity(deps, id("x", { kind: "Secret" }))?.kind, "Service");
    assert.equal(alternateOwnerIdentity(deps, id("x", { kind: "Service" }))?.kind, "ConfigMap");
  });
});
