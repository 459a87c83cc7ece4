import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { findNodesThatFit } from "../../src/scheduler/framework/schedule.js";
import type { Snapshot } from "../../src/scheduler/framework/snapshot.js";
import { defaultProfile } from "../../src/scheduler/plugins/registry.js";
import { type PreemptionResult, preempt } from "../../src/scheduler/preemption/preempt.js";
import { makeNode, makePod, snapshotOf } from "./fixtures.js";

const profile = defaultProfile();

function victim(
  name: string,
  opts: {
    node: string;
    priority: number;
    cpu: string;
    start?: string;
    labels?: Record<string, string>;
  },
): Pod {
  return makePod(name, {
    nodeName: opts.node,
    priority: opts.priority,
    requests: { cpu: opts.cpu },
    startTime: opts.start ?? "2024-01-01T00:00:00Z",
    ...(opts.labels ? { labels: opts.labels } : {}),
  });
}

function run(
  pod: Pod,
  input: { snapshot: Snapshot; pdbs?: PodDisruptionBudget[] },
): PreemptionResult {
  const fit = findNodesThatFit(pod, { snapshot: input.snapshot, profile });
  assert.ok(fit.fitError, "the preemptor must fit nowhere first");
  return preempt(pod, { ...input, profile, diagnosis: fit.diagnosis });
}

function summary(r: PreemptionResult): { node: string; victims: string[] } | string {
  return r.kind === "preempt"
    ? { node: r.nodeName, victims: r.victims.map((p) => p.metadata?.name ?? "") }
    : r.message;
}

const nodes = [makeNode("n1", { cpu: "2" }), makeNode("n2", { cpu: "2" })];
const preemptor = (cpu: string, extra: Partial<Pod["spec"]> = {}) =>
  makePod("important", { priority: 1000, requests: { cpu }, spec: { ...extra } });

describe("preemption", () => {
  const cases: {
    name: string;
    pods: Pod[];
    pod: Pod;
    pdbs?: PodDisruptionBudget[];
    want: ReturnType<typeof summary>;
  }[] = [
    {
      name: "prefers the node whose most important victim has the lowest priority",
      pods: [
        victim("low-a", { node: "n1", priority: 1, cpu: "1" }),
        victim("low-b", { node: "n1", priority: 1, cpu: "1" }),
        victim("mid", { node: "n2", priority: 5, cpu: "2" }),
      ],
      pod: preemptor("2"),
      want: { node: "n1", victims: ["low-a", "low-b"] },
    },
    {
      name: "evicts only as many pods as needed, the least important first",
      pods: [
        victim("p1", { node: "n1", priority: 1, cpu: "500m" }),
        victim("p2", { node: "n1", priority: 2, cpu: "500m" }),
        victim("p3", { node: "n1", priority: 3, cpu: "500m" }),
        victim("keep", { node: "n2", priority: 2000, cpu: "2" }),
      ],
      pod: preemptor("1"),
      want: { node: "n1", victims: ["p1"] },
    },
    {
      name: "with equal priorities prefers the smaller priority sum, i.e. fewer victims",
      pods: [
        victim("a1", { node: "n1", priority: 1, cpu: "1" }),
        victim("a2", { node: "n1", priority: 1, cpu: "1" }),
        victim("b1", { node: "n2", priority: 1, cpu: "2" }),
      ],
      pod: preemptor("2"),
      want: { node: "n2", victims: ["b1"] },
    },
    {
      name: "with everything else equal disturbs the most recently started pod",
      pods: [
        victim("old", { node: "n1", priority: 1, cpu: "2", start: "2024-01-01T00:00:00Z" }),
        victim("new", { node: "n2", priority: 1, cpu: "2", start: "2024-06-01T00:00:00Z" }),
      ],
      pod: preemptor("1"),
      want: { node: "n2", victims: ["new"] },
    },
    {
      name: "avoids violating a PodDisruptionBudget when another node works",
      pods: [
        victim("guarded", { node: "n1", priority: 1, cpu: "2", labels: { app: "guarded" } }),
        victim("free", { node: "n2", priority: 3, cpu: "2" }),
      ],
      pdbs: [
        {
          metadata: { name: "guard", namespace: "default" },
          spec: { selector: { matchLabels: { app: "guarded" } } },
          status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
        },
      ],
      pod: preemptor("1"),
      want: { node: "n2", victims: ["free"] },
    },
    {
      name: "never evicts pods of equal or higher priority",
      pods: [
        victim("peer", { node: "n1", priority: 1000, cpu: "2" }),
        victim("boss", { node: "n2", priority: 5000, cpu: "2" }),
      ],
      pod: preemptor("1"),
      want: "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    },
    {
      name: "reports when even evicting every lower-priority pod would not make room",
      pods: [victim("small", { node: "n1", priority: 1, cpu: "1" })],
      pod: preemptor("3"),
      want: "preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod.",
    },
    {
      name: "respects preemptionPolicy Never",
      pods: [
        victim("low", { node: "n1", priority: 1, cpu: "2" }),
        victim("low2", { node: "n2", priority: 1, cpu: "2" }),
      ],
      pod: preemptor("1", { preemptionPolicy: "Never" }),
      want: "preemption: not eligible due to preemptionPolicy=Never.",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = snapshotOf(nodes, c.pods);
      assert.deepEqual(
        summary(run(c.pod, { snapshot, ...(c.pdbs ? { pdbs: c.pdbs } : {}) })),
        c.want,
      );
    });
  }

  it("frees a node held by a lower-priority pod with required anti-affinity against the preemptor", () => {
    const blocker = makePod("blocker", {
      nodeName: "n1",
      priority: 1,
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: { matchLabels: { app: "web" } },
                topologyKey: "kubernetes.io/hostname",
              },
            ],
          },
        },
      },
    });
    const snapshot = snapshotOf([makeNode("n1")], [blocker]);
    const pod = makePod("web", { priority: 100, labels: { app: "web" } });
    assert.deepEqual(summary(run(pod, { snapshot })), { node: "n1", victims: ["blocker"] });
  });
});
