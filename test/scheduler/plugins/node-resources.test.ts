import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePodResourceRequest } from "../../../src/scheduler/framework/resource.js";
import { newCycleContext } from "../../../src/scheduler/framework/schedule.js";
import { balancedAllocationScore } from "../../../src/scheduler/plugins/node-resources/balanced-allocation.js";
import {
  fitsBasicResources,
  insufficientResources,
} from "../../../src/scheduler/plugins/node-resources/fit.js";
import {
  nodeResourcesBalancedAllocation,
  nodeResourcesFit,
} from "../../../src/scheduler/plugins/node-resources/plugin.js";
import { makeNode, makePod, runFilter, snapshotOf } from "../fixtures.js";

describe("NodeResourcesFit filter", () => {
  const nodes = [
    makeNode("small", { cpu: "1", memory: "1Gi" }),
    makeNode("busy", { cpu: "4", memory: "8Gi" }),
    makeNode("full", { cpu: "4", memory: "8Gi", pods: "1" }),
    makeNode("gpu", { cpu: "4", memory: "8Gi", extra: { "nvidia.com/gpu": "1" } }),
  ];
  const pods = [
    makePod("hog", { nodeName: "busy", requests: { cpu: "3500m", memory: "1Gi" } }),
    makePod("lonely", { nodeName: "full" }),
  ];
  const snapshot = snapshotOf(nodes, pods);
  const cases = [
    {
      name: "reports Insufficient cpu and Insufficient memory together",
      requests: { cpu: "2", memory: "2Gi" },
      want: {
        small: ["Insufficient cpu", "Insufficient memory"],
        busy: ["Insufficient cpu"],
        full: ["Too many pods"],
        gpu: [],
      },
    },
    {
      name: "a best-effort pod only needs a pod slot",
      requests: undefined,
      want: { small: [], busy: [], full: ["Too many pods"], gpu: [] },
    },
    {
      name: "an extended resource must be allocatable on the node",
      requests: { "nvidia.com/gpu": "1" },
      want: {
        small: ["Insufficient nvidia.com/gpu"],
        busy: ["Insufficient nvidia.com/gpu"],
        full: ["Too many pods", "Insufficient nvidia.com/gpu"],
        gpu: [],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod("p", c.requests ? { requests: c.requests } : {});
      const statuses = runFilter(nodeResourcesFit(), { pod, snapshot });
      const got = Object.fromEntries([...statuses].map(([n, s]) => [n, [...s.reasons]]));
      assert.deepEqual(got, c.want);
      for (const s of statuses.values()) {
        assert.ok(s.code === "Success" || s.code === "Unschedulable");
      }
    });
  }
});

describe("fitsBasicResources", () => {
  it("agrees with insufficientResources for pods without scalar requests", () => {
    const snapshot = snapshotOf(
      [
        makeNode("roomy", { cpu: "4", memory: "8Gi" }),
        makeNode("tight", { cpu: "1", memory: "1Gi" }),
        makeNode("one-slot", { pods: "1" }),
        makeNode("no-storage", { extra: { "ephemeral-storage": "1Gi" } }),
      ],
      [makePod("there", { nodeName: "one-slot" })],
    );
    const requests = [
      undefined,
      { cpu: "500m" },
      { cpu: "1" },
      { cpu: "1001m" },
      { memory: "1Gi" },
      { memory: "2Gi" },
      { cpu: "4", memory: "8Gi" },
      { "ephemeral-storage": "2Gi" },
    ];
    for (const r of requests) {
      const request = computePodResourceRequest(makePod("p", r ? { requests: r } : {}));
      for (const nodeInfo of snapshot.nodeInfos) {
        const want = insufficientResources(request, { nodeInfo }).length === 0;
        assert.equal(
          fitsBasicResources(request, nodeInfo),
          want,
          `${JSON.stringify(r)} on ${nodeInfo.name}`,
        );
      }
    }
  });
});

describe("balancedAllocationScore", () => {
  const cases = [
    { name: "one resource has no deviation", requested: [1], allocatable: [4], want: 100 },
    {
      name: "two resources: half their difference",
      requested: [1, 3],
      allocatable: [4, 4],
      want: 75,
    },
    { name: "fractions are capped at 1", requested: [8, 2], allocatable: [4, 4], want: 75 },
    {
      name: "a resource the node lacks is left out",
      requested: [0, 1, 3],
      allocatable: [0, 4, 4],
      want: 75,
    },
    // Fractions 0.25, 0.5, 0.75: population deviation sqrt(1/24) = 0.204.
    {
      name: "three resources: the standard deviation",
      requested: [1, 2, 3],
      allocatable: [4, 4, 4],
      want: 79,
    },
    { name: "no resource at all", requested: [0], allocatable: [0], want: 100 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(balancedAllocationScore(c), c.want));
  }
});

describe("resource scoring", () => {
  const nodes = [makeNode("empty"), makeNode("loaded")];
  const snapshot = snapshotOf(nodes, [
    makePod("existing", { nodeName: "loaded", requests: { cpu: "2", memory: "2Gi" } }),
  ]);
  const pod = makePod("p", { requests: { cpu: "1", memory: "2Gi" } });
  const score = (
    plugin:
      | ReturnType<typeof nodeResourcesFit>
      | ReturnType<typeof nodeResourcesBalancedAllocation>,
  ) => {
    const ctx = newCycleContext(pod, { snapshot });
    plugin.preScore?.(ctx, snapshot.nodeInfos);
    return snapshot.nodeInfos.map((n) => plugin.score(ctx, n));
  };

  it("LeastAllocated averages the free fraction of cpu and memory", () => {
    // empty: cpu (4000-1000)/4000 → 75, memory 6/8 → 75; loaded: cpu 1/4 → 25, memory 4/8 → 50 → 37.
    assert.deepEqual(score(nodeResourcesFit()), [75, 37]);
  });

  it("BalancedAllocation rewards equal cpu and memory fractions", () => {
    // empty: 0.25/0.25 → 100; loaded: 0.75/0.5 → 100 × (1 − 0.125) = 87.
    assert.deepEqual(score(nodeResourcesBalancedAllocation()), [100, 87]);
  });

  it("BalancedAllocation skips best-effort pods", () => {
    const ctx = newCycleContext(makePod("be"), { snapshot });
    assert.equal(
      nodeResourcesBalancedAllocation().preScore?.(ctx, snapshot.nodeInfos).code,
      "Skip",
    );
  });

  it("LeastAllocated counts a request-less pod at 100m and 200Mi", () => {
    const ctx = newCycleContext(makePod("be"), { snapshot });
    const plugin = nodeResourcesFit();
    plugin.preScore?.(ctx, snapshot.nodeInfos);
    const empty = snapshot.nodeInfos[0];
    assert.ok(empty);
    // cpu (4000-100)/4000 → 97; memory (8192-200)/8192 Mi → 97.
    assert.equal(plugin.score(ctx, empty), 97);
  });
});
