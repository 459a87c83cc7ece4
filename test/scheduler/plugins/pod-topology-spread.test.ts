import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, TopologySpreadConstraint } from "kubernetes-types/core/v1.js";
import { newCycleContext } from "../../../src/scheduler/framework/schedule.js";
import { podTopologySpread } from "../../../src/scheduler/plugins/pod-topology-spread/plugin.js";
import { makeNode, makePod, passing, runFilter, snapshotOf } from "../fixtures.js";

const ZONE = "topology.kubernetes.io/zone";

function spreadPod(
  name: string,
  opts: {
    constraint?: Partial<TopologySpreadConstraint>;
    nodeSelector?: Record<string, string>;
  } = {},
): Pod {
  return makePod(name, {
    labels: { app: "web" },
    spec: {
      ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: ZONE,
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { app: "web" } },
          ...(opts.constraint ?? {}),
        },
      ],
    },
  });
}

const web = (name: string, node: string) =>
  makePod(name, { labels: { app: "web" }, nodeName: node });

const nodes = [
  makeNode("a1", { labels: { [ZONE]: "a" } }),
  makeNode("a2", { labels: { [ZONE]: "a" } }),
  makeNode("b1", { labels: { [ZONE]: "b" } }),
];

describe("PodTopologySpread filter", () => {
  const cases: { name: string; pod: Pod; pods: Pod[]; nodes?: typeof nodes; want: string[] }[] = [
    {
      name: "with maxSkew 1 over zones, the next replica must go to the emptier zone",
      pod: spreadPod("web-1"),
      pods: [web("web-0", "a1")],
      want: ["b1"],
    },
    {
      name: "with zones balanced, any zone is fine",
      pod: spreadPod("web-2"),
      pods: [web("web-0", "a1"), web("web-1", "b1")],
      want: ["a1", "a2", "b1"],
    },
    {
      name: "maxSkew 2 tolerates one extra pod in a zone",
      pod: spreadPod("web-1", { constraint: { maxSkew: 2 } }),
      pods: [web("web-0", "a1")],
      want: ["a1", "a2", "b1"],
    },
    {
      // Zone b is not a domain, so zone a's count is the minimum; b1 itself
      // passes here and is left to the NodeAffinity filter, as upstream.
      name: "only nodes matching the pod's node selector count as domains",
      pod: spreadPod("web-1", { nodeSelector: { [ZONE]: "a" } }),
      pods: [web("web-0", "a1")],
      want: ["a1", "a2", "b1"],
    },
    {
      name: "minDomains above the number of zones treats the global minimum as 0",
      pod: spreadPod("web-2", { constraint: { minDomains: 3 } }),
      pods: [web("web-0", "a1"), web("web-1", "b1")],
      want: [],
    },
    {
      name: "pods that do not match the selector do not count",
      pod: spreadPod("web-1"),
      pods: [makePod("db-0", { labels: { app: "db" }, nodeName: "a1" })],
      want: ["a1", "a2", "b1"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const statuses = runFilter(podTopologySpread(), {
        pod: c.pod,
        snapshot: snapshotOf(nodes, c.pods),
      });
      assert.deepEqual(passing(statuses), c.want);
      for (const [n, s] of statuses) {
        if (!c.want.includes(n)) {
          assert.deepEqual(s, {
            code: "Unschedulable",
            reasons: ["node(s) didn't match pod topology spread constraints"],
          });
        }
      }
    });
  }

  it("rejects a node without the topology label as unresolvable", () => {
    const statuses = runFilter(podTopologySpread(), {
      pod: spreadPod("web-0"),
      snapshot: snapshotOf([...nodes, makeNode("unlabelled")]),
    });
    assert.deepEqual(statuses.get("unlabelled"), {
      code: "UnschedulableAndUnresolvable",
      reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
    });
  });
});

describe("PodTopologySpread score", () => {
  it("prefers the zone with fewer matching pods for ScheduleAnyway", () => {
    const snapshot = snapshotOf(nodes, [web("web-0", "a1"), web("web-1", "a2")]);
    const pod = spreadPod("web-2", { constraint: { whenUnsatisfiable: "ScheduleAnyway" } });
    const plugin = podTopologySpread();
    const ctx = newCycleContext(pod, { snapshot });
    assert.equal(plugin.preScore?.(ctx, snapshot.nodeInfos).code, "Success");
    const raw = snapshot.nodeInfos.map((n) => ({ name: n.name, score: plugin.score(ctx, n) }));
    // 2 pods in zone a × log(2 domains + 2) ≈ 2.77 → 3; zone b → 0.
    assert.deepEqual(
      raw.map((s) => s.score),
      [3, 3, 0],
    );
    assert.deepEqual(
      (plugin.normalizeScores?.(ctx, raw) ?? []).map((s) => s.score),
      [0, 0, 100],
    );
  });

  it("skips pods without ScheduleAnyway constraints", () => {
    const snapshot = snapshotOf(nodes);
    const ctx = newCycleContext(spreadPod("web-0"), { snapshot });
    assert.equal(podTopologySpread().preScore?.(ctx, snapshot.nodeInfos).code, "Skip");
  });
});
