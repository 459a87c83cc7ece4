import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newCycleContext } from "../../src/scheduler/framework/schedule.js";
import { imageLocality } from "../../src/scheduler/plugins/image-locality/plugin.js";
import { SchedulerCache } from "../../src/scheduler/runner/cache.js";
import { makeNode, makePod } from "./fixtures.js";

const MB = 1024 * 1024;
const nginx = { names: ["nginx:1.27"], sizeBytes: 500 * MB };

function imageNodes(cache: SchedulerCache, node: string, image: string): number | undefined {
  return cache.snapshot().get(node)?.imageStates.get(image)?.numNodes;
}

describe("SchedulerCache", () => {
  it("counts on how many nodes each image is as nodes come, change and go", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("a", { images: [nginx] }));
    cache.upsertNode(makeNode("b", { images: [nginx] }));
    cache.upsertNode(makeNode("c"));
    assert.equal(imageNodes(cache, "a", "nginx:1.27"), 2);
    assert.equal(imageNodes(cache, "b", "nginx:1.27"), 2);
    assert.equal(imageNodes(cache, "c", "nginx:1.27"), undefined);

    cache.upsertNode(makeNode("b")); // the image was removed from b
    assert.equal(imageNodes(cache, "a", "nginx:1.27"), 1);
    assert.equal(imageNodes(cache, "b", "nginx:1.27"), undefined);

    cache.upsertNode(makeNode("c", { images: [nginx] }));
    cache.removeNode("a");
    assert.equal(imageNodes(cache, "c", "nginx:1.27"), 1);
  });

  it("lets ImageLocality prefer the nodes that have the pod's image", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("has-it", { images: [nginx] }));
    cache.upsertNode(makeNode("none"));
    const snapshot = cache.snapshot();
    const ctx = newCycleContext(makePod("p"), { snapshot });
    const scores = snapshot.nodeInfos.map((n) => imageLocality().score(ctx, n));
    // 500 MB × 1/2 nodes = 250 MB; (250 − 23) / (1000 − 23) × 100 = 23.
    assert.deepEqual(scores, [23, 0]);
  });

  it("counts assumed pods on their node until the binding fails", () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("a"));
    const pod = makePod("p", { requests: { cpu: "500m" } });
    cache.assume(pod, "a");
    assert.equal(cache.snapshot().get("a")?.requested.milliCPU, 500);
    cache.forget(pod);
    assert.equal(cache.snapshot().get("a")?.requested.milliCPU, 0);
  });
});
