import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchNode, benchPod, parseWorkload } from "../../bench/scheduler/workloads.js";
import { schedulePod } from "../../src/scheduler/framework/schedule.js";
import { createSnapshot } from "../../src/scheduler/framework/snapshot.js";
import { defaultProfile } from "../../src/scheduler/plugins/registry.js";

describe("scheduler benchmark workloads", () => {
  it("refuses an unknown workload by name", () => {
    assert.throws(() => parseWorkload("huge"), /unknown workload "huge": use basic or mixed/);
    assert.equal(parseWorkload("mixed"), "mixed");
  });

  it("basic pods fit every basic node", () => {
    const snapshot = createSnapshot({ nodes: [0, 1, 2].map((i) => benchNode(i, "basic")) });
    const result = schedulePod(benchPod(0, "basic"), {
      snapshot,
      profile: defaultProfile(),
      random: () => 0,
    });
    assert.equal(result.kind === "scheduled" && result.feasibleNodes, 3);
  });

  it("mixed pods follow their zone, taint and anti-affinity rules", () => {
    const nodes = Array.from({ length: 20 }, (_, i) => benchNode(i, "mixed"));
    // Pod 2 is in anti-affinity group anti-2 and already runs on node-3.
    const running = benchPod(2, "mixed");
    running.spec = { containers: [], ...running.spec, nodeName: "node-3" };
    const snapshot = createSnapshot({ nodes, pods: [running] });
    const feasible = (i: number) => {
      const result = schedulePod(benchPod(i, "mixed"), {
        snapshot,
        profile: defaultProfile(),
        random: () => 0,
        percentageOfNodesToScore: 100,
      });
      return result.kind === "scheduled" ? result.feasibleNodes : 0;
    };
    // Zones 0-4 hold nodes 0-4 and 10-14; nodes 0 and 10 are tainted.
    assert.equal(feasible(0), 8);
    // Tolerates the taint: every node.
    assert.equal(feasible(1), 20);
    // Pod 302 is in group anti-2 too: not node-3, and not the tainted nodes.
    assert.equal(feasible(302), 17);
  });
});
