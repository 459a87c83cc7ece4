import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, PodAffinityTerm } from "kubernetes-types/core/v1.js";
import { newCycleContext } from "../../../src/scheduler/framework/schedule.js";
import { interPodAffinity } from "../../../src/scheduler/plugins/inter-pod-affinity/plugin.js";
import { makeNode, makePod, passing, runFilter, snapshotOf } from "../fixtures.js";

const HOSTNAME = "kubernetes.io/hostname";
const ZONE = "topology.kubernetes.io/zone";

function term(labels: Record<string, string>, topologyKey: string): PodAffinityTerm {
  return { labelSelector: { matchLabels: labels }, topologyKey };
}

function replica(name: string, opts: { node?: string; anti?: boolean } = {}): Pod {
  return makePod(name, {
    labels: { app: "web" },
    ...(opts.node ? { nodeName: opts.node } : {}),
    spec:
      opts.anti === false
        ? {}
        : {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [term({ app: "web" }, HOSTNAME)],
              },
            },
          },
  });
}

const nodes = [
  makeNode("n1", { labels: { [ZONE]: "a" } }),
  makeNode("n2", { labels: { [ZONE]: "a" } }),
  makeNode("n3", { labels: { [ZONE]: "b" } }),
];

describe("InterPodAffinity filter", () => {
  it("spreads anti-affine replicas one per node on kubernetes.io/hostname", () => {
    const placed: Pod[] = [];
    for (const name of ["web-0", "web-1", "web-2"]) {
      const statuses = runFilter(interPodAffinity(), {
        pod: replica(name),
        snapshot: snapshotOf(nodes, placed),
      });
      const free = passing(statuses);
      assert.equal(free.length, 3 - placed.length);
      placed.push(replica(name, { node: free[0] ?? "" }));
    }
    assert.deepEqual(
      placed.map((p) => p.spec?.nodeName),
      ["n1", "n2", "n3"],
    );
    const fourth = runFilter(interPodAffinity(), {
      pod: replica("web-3"),
      snapshot: snapshotOf(nodes, placed),
    });
    assert.deepEqual(passing(fourth), []);
    assert.deepEqual(fourth.get("n1"), {
      code: "Unschedulable",
      reasons: ["node(s) didn't match pod anti-affinity rules"],
    });
  });

  it("honours an existing pod's anti-affinity against the incoming pod", () => {
    const snapshot = snapshotOf(nodes, [replica("web-0", { node: "n1" })]);
    const plain = makePod("plain", { labels: { app: "web" } });
    const statuses = runFilter(interPodAffinity(), { pod: plain, snapshot });
    assert.deepEqual(passing(statuses), ["n2", "n3"]);
    assert.deepEqual(statuses.get("n1")?.reasons, [
      "node(s) didn't satisfy existing pods anti-affinity rules",
    ]);
  });

  it("ignores pods in other namespaces unless the term names them", () => {
    const snapshot = snapshotOf(nodes, [
      makePod("other", { namespace: "prod", labels: { app: "web" }, nodeName: "n1" }),
    ]);
    const statuses = runFilter(interPodAffinity(), { pod: replica("web-0"), snapshot });
    assert.deepEqual(passing(statuses), ["n1", "n2", "n3"]);
  });

  describe("required affinity", () => {
    const wantsCache = (name: string, labels?: Record<string, string>) =>
      makePod(name, {
        ...(labels ? { labels } : {}),
        spec: {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [term({ app: "cache" }, ZONE)],
            },
          },
        },
      });
    const cases: { name: string; pod: Pod; pods: Pod[]; want: string[] }[] = [
      {
        name: "places the pod in the zone of a matching pod",
        pod: wantsCache("web"),
        pods: [makePod("cache-0", { labels: { app: "cache" }, nodeName: "n3" })],
        want: ["n3"],
      },
      {
        name: "lets the first pod of a self-affine group go anywhere",
        pod: wantsCache("cache-0", { app: "cache" }),
        pods: [],
        want: ["n1", "n2", "n3"],
      },
      {
        name: "rejects everywhere when no pod matches and the pod does not match itself",
        pod: wantsCache("web"),
        pods: [],
        want: [],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const statuses = runFilter(interPodAffinity(), {
          pod: c.pod,
          snapshot: snapshotOf(nodes, c.pods),
        });
        assert.deepEqual(passing(statuses), c.want);
        for (const [n, s] of statuses) {
          if (!c.want.includes(n)) {
            assert.deepEqual(s, {
              code: "UnschedulableAndUnresolvable",
              reasons: ["node(s) didn't match pod affinity rules"],
            });
          }
        }
      });
    }
  });
});

describe("InterPodAffinity score", () => {
  it("prefers the zone of pods named by a preferred affinity term and avoids anti-affinity", () => {
    const snapshot = snapshotOf(nodes, [
      makePod("cache-0", { labels: { app: "cache" }, nodeName: "n3" }),
      makePod("batch-0", { labels: { app: "batch" }, nodeName: "n1" }),
    ]);
    const pod = makePod("web", {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, podAffinityTerm: term({ app: "cache" }, ZONE) },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 5, podAffinityTerm: term({ app: "batch" }, HOSTNAME) },
            ],
          },
        },
      },
    });
    const plugin = interPodAffinity();
    const ctx = newCycleContext(pod, { snapshot });
    assert.equal(plugin.preScore?.(ctx, snapshot.nodeInfos).code, "Success");
    const raw = snapshot.nodeInfos.map((n) => ({ name: n.name, score: plugin.score(ctx, n) }));
    assert.deepEqual(
      raw.map((s) => s.score),
      [-5, 0, 10],
    );
    const normalized = plugin.normalizeScores?.(ctx, raw) ?? [];
    assert.deepEqual(
      normalized.map((s) => s.score),
      [0, 33, 100],
    );
  });

  it("skips scoring when no pod anywhere has affinity terms", () => {
    const snapshot = snapshotOf(nodes, [makePod("a", { nodeName: "n1" })]);
    const ctx = newCycleContext(makePod("p"), { snapshot });
    assert.equal(interPodAffinity().preScore?.(ctx, snapshot.nodeInfos).code, "Skip");
  });

  it("skips scoring when the only affinity terms around are required anti-affinity", () => {
    const snapshot = snapshotOf(nodes, [replica("r1", { node: "n1" })]);
    const ctx = newCycleContext(makePod("p", { labels: { app: "web" } }), { snapshot });
    assert.equal(interPodAffinity().preScore?.(ctx, snapshot.nodeInfos).code, "Skip");
  });

  it("scores by an existing pod's preferred affinity for the incoming pod", () => {
    const friendly = makePod("friendly", {
      nodeName: "n1",
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, podAffinityTerm: term({ app: "web" }, HOSTNAME) },
            ],
          },
        },
      },
    });
    const snapshot = snapshotOf(nodes, [friendly, replica("r1", { node: "n2" })]);
    const ctx = newCycleContext(makePod("p", { labels: { app: "web" } }), { snapshot });
    const plugin = interPodAffinity();
    assert.equal(plugin.preScore?.(ctx, snapshot.nodeInfos).code, "Success");
    assert.deepEqual(
      snapshot.nodeInfos.map((n) => plugin.score(ctx, n)),
      snapshot.nodeInfos.map((n) => (n.name === "n1" ? 10 : 0)),
    );
  });
});
