import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  byNamespace,
  byNodeName,
  byOwnerUid,
  Indexer,
} from "../../../src/client/informer/indexer.js";

interface Pod {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    ownerReferences?: Array<{ uid: string; kind?: string; name?: string }>;
  };
  spec?: { nodeName?: string };
}

function pod(ns: string, name: string, nodeName?: string, owners: string[] = []): Pod {
  return {
    metadata: {
      name,
      namespace: ns,
      ...(owners.length ? { ownerReferences: owners.map((uid) => ({ uid })) } : {}),
    },
    ...(nodeName ? { spec: { nodeName } } : {}),
  };
}

/** The keys of the objects an index bucket holds, sorted. */
function bucket(store: Indexer<Pod>, index: string, value: string): string[] {
  return store
    .byIndex(index, value)
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .sort();
}

describe("indexer", () => {
  it("keeps namespace, nodeName and owner-UID indexes right across add, update and delete", () => {
    const store = new Indexer<Pod>({
      namespace: byNamespace,
      nodeName: byNodeName,
      owner: byOwnerUid,
    });
    store.upsert(pod("ns1", "a", "node-1", ["rs-1"]));
    store.upsert(pod("ns1", "b", "node-1", ["rs-1", "job-9"]));
    store.upsert(pod("ns2", "c", "node-2", ["rs-2"]));
    store.upsert(pod("ns2", "pending"));

    assert.deepEqual(bucket(store, "namespace", "ns1"), ["ns1/a", "ns1/b"]);
    assert.deepEqual(bucket(store, "namespace", "ns2"), ["ns2/c", "ns2/pending"]);
    assert.deepEqual(bucket(store, "nodeName", "node-1"), ["ns1/a", "ns1/b"]);
    assert.deepEqual(bucket(store, "nodeName", "node-2"), ["ns2/c"]);
    assert.deepEqual(bucket(store, "nodeName", ""), [], "unscheduled pods are in no node bucket");
    assert.deepEqual(bucket(store, "owner", "rs-1"), ["ns1/a", "ns1/b"]);
    assert.deepEqual(bucket(store, "owner", "job-9"), ["ns1/b"], "every owner is indexed");

    // Rebind a to another node and hand it to a different owner.
    store.upsert(pod("ns1", "a", "node-2", ["rs-2"]));
    assert.deepEqual(bucket(store, "nodeName", "node-1"), ["ns1/b"]);
    assert.deepEqual(bucket(store, "nodeName", "node-2"), ["ns1/a", "ns2/c"]);
    assert.deepEqual(bucket(store, "owner", "rs-1"), ["ns1/b"]);
    assert.deepEqual(bucket(store, "owner", "rs-2"), ["ns1/a", "ns2/c"]);
    assert.deepEqual(bucket(store, "namespace", "ns1"), ["ns1/a", "ns1/b"]);
    assert.equal(store.byIndex("nodeName", "node-2")[0]?.spec?.nodeName, "node-2");

    // The pending pod gets scheduled; b loses one of its two owners.
    store.upsert(pod("ns2", "pending", "node-1"));
    store.upsert(pod("ns1", "b", "node-1", ["job-9"]));
    assert.deepEqual(bucket(store, "nodeName", "node-1"), ["ns1/b", "ns2/pending"]);
    assert.deepEqual(bucket(store, "owner", "rs-1"), []);
    assert.deepEqual(bucket(store, "owner", "job-9"), ["ns1/b"]);

    // Deletes empty every bucket they were in.
    assert.equal(store.remove("ns1/a")?.metadata.name, "a");
    store.remove("ns1/b");
    assert.equal(store.remove("ns1/b"), undefined, "removing twice is a no-op");
    assert.deepEqual(bucket(store, "namespace", "ns1"), []);
    assert.deepEqual(bucket(store, "nodeName", "node-2"), ["ns2/c"]);
    assert.deepEqual(bucket(store, "nodeName", "node-1"), ["ns2/pending"]);
    assert.deepEqual(bucket(store, "owner", "job-9"), []);
    assert.deepEqual(bucket(store, "owner", "rs-2"), ["ns2/c"]);
    assert.deepEqual(store.keys().sort(), ["ns2/c", "ns2/pending"]);
    assert.throws(() => store.byIndex("nope", "x"), /no index named nope/);
  });

  it("byOwnerUid lists each owner once and byNodeName ignores unscheduled pods", () => {
    assert.deepEqual(byOwnerUid(pod("ns", "p", undefined, ["u1", "u2", "u1"])), ["u1", "u2"]);
    assert.deepEqual(byOwnerUid(pod("ns", "p")), []);
    assert.deepEqual(byNodeName(pod("ns", "p")), []);
    assert.deepEqual(byNodeName(pod("ns", "p", "n1")), ["n1"]);
  });

  it("leaves the cache untouched when an index function throws", () => {
    const store = new Indexer<Pod>({
      nodeName: (p) => {
        if (p.spec?.nodeName === "bad") throw new Error("bad node");
        return byNodeName(p);
      },
    });
    store.upsert(pod("ns", "a", "node-1"));
    assert.throws(() => store.upsert(pod("ns", "a", "bad")), /bad node/);
    assert.equal(store.get("ns/a")?.spec?.nodeName, "node-1");
    assert.deepEqual(bucket(store, "nodeName", "node-1"), ["ns/a"]);
  });
});
