import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Indexer } from "../../../src/client/informer/indexer.js";
import type { EventHandlers, Informer } from "../../../src/client/informer/informer.js";
import { PodsByNode } from "../../../src/controllers/nodelifecycle/pods-by-node.js";

/** Just enough of an informer: a store and the handlers it would call. */
function fakeInformer() {
  const store = new Indexer<Pod>();
  const handlers: EventHandlers<Pod>[] = [];
  const informer = {
    store,
    addEventHandler: (h: EventHandlers<Pod>) => handlers.push(h),
  } as unknown as Informer<Pod>;
  return {
    informer,
    upsert(pod: Pod) {
      const old = store.upsert(pod);
      for (const h of handlers) old ? h.onUpdate?.(old, pod) : h.onAdd?.(pod);
    },
    remove(pod: Pod) {
      store.remove(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
      for (const h of handlers) h.onDelete?.(pod);
    },
  };
}

const pod = (name: string, nodeName?: string): Pod => ({
  metadata: { name, namespace: "default" },
  spec: { containers: [], ...(nodeName ? { nodeName } : {}) },
});
const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name).sort();

describe("pods by node", () => {
  it("follows binding, rebinding and deletion", () => {
    const f = fakeInformer();
    const index = new PodsByNode(f.informer);
    f.upsert(pod("a"));
    f.upsert(pod("b", "n1"));
    assert.deepEqual(names(index.podsOn("n1")), ["b"]);
    f.upsert(pod("a", "n1"));
    assert.deepEqual(names(index.podsOn("n1")), ["a", "b"]);
    f.upsert(pod("b", "n2"));
    assert.deepEqual(names(index.podsOn("n1")), ["a"]);
    assert.deepEqual(names(index.podsOn("n2")), ["b"]);
    f.remove(pod("a", "n1"));
    assert.deepEqual(index.podsOn("n1"), []);
  });
});
