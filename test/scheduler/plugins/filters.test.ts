import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, Taint, Toleration } from "kubernetes-types/core/v1.js";
import { newCycleContext } from "../../../src/scheduler/framework/schedule.js";
import { nodeAffinity } from "../../../src/scheduler/plugins/node-affinity/plugin.js";
import { nodeName } from "../../../src/scheduler/plugins/node-name/plugin.js";
import { nodePorts } from "../../../src/scheduler/plugins/node-ports/plugin.js";
import { nodeUnschedulable } from "../../../src/scheduler/plugins/node-unschedulable/plugin.js";
import { taintToleration } from "../../../src/scheduler/plugins/taint-toleration/plugin.js";
import {
  CONTROL_PLANE_TAINT,
  makeNode,
  makePod,
  passing,
  runFilter,
  snapshotOf,
} from "../fixtures.js";

describe("NodeUnschedulable", () => {
  const snapshot = snapshotOf([makeNode("cordoned", { unschedulable: true }), makeNode("open")]);
  const cases: { name: string; tolerations?: Toleration[]; want: string[] }[] = [
    { name: "keeps a plain pod off a cordoned node", want: ["open"] },
    {
      name: "lets a pod tolerating node.kubernetes.io/unschedulable:NoSchedule onto it",
      tolerations: [
        { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
      ],
      want: ["cordoned", "open"],
    },
    {
      name: "does not accept a NoExecute-only toleration for it",
      tolerations: [
        { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoExecute" },
      ],
      want: ["open"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod("p", c.tolerations ? { spec: { tolerations: c.tolerations } } : {});
      const statuses = runFilter(nodeUnschedulable(), { pod, snapshot });
      assert.deepEqual(passing(statuses), c.want);
      const rejected = statuses.get("cordoned");
      if (!c.want.includes("cordoned")) {
        assert.equal(rejected?.code, "UnschedulableAndUnresolvable");
        assert.deepEqual(rejected?.reasons, ["node(s) were unschedulable"]);
      }
    });
  }
});

describe("NodeName", () => {
  it("accepts only the node named in spec.nodeName", () => {
    const snapshot = snapshotOf([makeNode("a"), makeNode("b")]);
    const statuses = runFilter(nodeName(), { pod: makePod("p", { nodeName: "b" }), snapshot });
    assert.deepEqual(passing(statuses), ["b"]);
    assert.deepEqual(statuses.get("a")?.reasons, ["node(s) didn't match the requested node name"]);
  });
});

describe("NodePorts", () => {
  const withPort = (
    name: string,
    port: { hostPort: number; hostIP?: string; protocol?: string },
    node?: string,
  ): Pod =>
    makePod(name, {
      ...(node ? { nodeName: node } : {}),
      containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80, ...port }] }],
    });
  const snapshot = snapshotOf(
    [makeNode("a"), makeNode("b")],
    [withPort("existing", { hostPort: 8080, hostIP: "10.0.0.1" }, "a")],
  );
  const cases = [
    {
      name: "rejects the node already binding the host port",
      port: { hostPort: 8080 },
      want: ["b"],
    },
    {
      name: "allows another host IP on the same port",
      port: { hostPort: 8080, hostIP: "10.0.0.2" },
      want: ["a", "b"],
    },
    {
      name: "allows the same port over UDP",
      port: { hostPort: 8080, protocol: "UDP" },
      want: ["a", "b"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const statuses = runFilter(nodePorts(), { pod: withPort("new", c.port), snapshot });
      assert.deepEqual(passing(statuses), c.want);
    });
  }
  it("words the rejection as upstream", () => {
    const statuses = runFilter(nodePorts(), { pod: withPort("new", { hostPort: 8080 }), snapshot });
    assert.deepEqual(statuses.get("a"), {
      code: "Unschedulable",
      reasons: ["node(s) didn't have free ports for the requested pod ports"],
    });
  });
});

describe("NodeAffinity", () => {
  const snapshot = snapshotOf([
    makeNode("ssd-1", { labels: { disktype: "ssd", "topology.kubernetes.io/zone": "z1" } }),
    makeNode("hdd-1", { labels: { disktype: "hdd", "topology.kubernetes.io/zone": "z2" } }),
    makeNode("bare"),
  ]);
  const cases: { name: string; pod: Pod; want: string[] }[] = [
    {
      name: "nodeSelector disktype: ssd picks the SSD node",
      pod: makePod("p", { spec: { nodeSelector: { disktype: "ssd" } } }),
      want: ["ssd-1"],
    },
    {
      name: "a required In term matches any listed value",
      pod: makePod("p", {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1", "z2"] },
                    ],
                  },
                ],
              },
            },
          },
        },
      }),
      want: ["ssd-1", "hdd-1"],
    },
    {
      name: "nodeSelector and required affinity must both hold",
      pod: makePod("p", {
        spec: {
          nodeSelector: { disktype: "hdd" },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: "disktype", operator: "Exists" }] },
                ],
              },
            },
          },
        },
      }),
      want: ["hdd-1"],
    },
    {
      name: "matchFields selects by node name",
      pod: makePod("p", {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: "metadata.name", operator: "In", values: ["bare"] }] },
                ],
              },
            },
          },
        },
      }),
      want: ["bare"],
    },
  ];
  it("skips the filter for a pod with neither nodeSelector nor required affinity", () => {
    const ctx = newCycleContext(makePod("p"), { snapshot });
    assert.equal(nodeAffinity().preFilter?.(ctx).code, "Skip");
    assert.deepEqual(passing(runFilter(nodeAffinity(), { pod: makePod("p"), snapshot })), [
      "ssd-1",
      "hdd-1",
      "bare",
    ]);
  });
  for (const c of cases) {
    it(c.name, () => {
      const statuses = runFilter(nodeAffinity(), { pod: c.pod, snapshot });
      assert.deepEqual(passing(statuses), c.want);
      for (const [name, s] of statuses) {
        if (!c.want.includes(name)) {
          assert.deepEqual(s, {
            code: "UnschedulableAndUnresolvable",
            reasons: ["node(s) didn't match Pod's node affinity/selector"],
          });
        }
      }
    });
  }
});

describe("TaintToleration filter", () => {
  const fooBar: Taint = { key: "foo", value: "bar", effect: "NoSchedule" };
  const snapshot = snapshotOf([
    makeNode("control-plane", { taints: [CONTROL_PLANE_TAINT] }),
    makeNode("foo", { taints: [fooBar] }),
    makeNode("soft", { taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] }),
    makeNode("worker"),
  ]);
  const cases: { name: string; tolerations?: Toleration[]; want: string[] }[] = [
    {
      name: "keeps an intolerant pod off NoSchedule taints but not PreferNoSchedule",
      want: ["soft", "worker"],
    },
    {
      name: "an Equal toleration foo=bar tolerates only that taint",
      tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "NoSchedule" }],
      want: ["foo", "soft", "worker"],
    },
    {
      name: "an Equal toleration with another value does not tolerate it",
      tolerations: [{ key: "foo", operator: "Equal", value: "baz" }],
      want: ["soft", "worker"],
    },
    {
      name: "Exists with an empty key tolerates every taint",
      tolerations: [{ operator: "Exists" }],
      want: ["control-plane", "foo", "soft", "worker"],
    },
    {
      name: "the control-plane toleration admits the control-plane node",
      tolerations: [
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      ],
      want: ["control-plane", "soft", "worker"],
    },
    {
      name: "a toleration for another effect does not count",
      tolerations: [{ key: "foo", operator: "Exists", effect: "NoExecute" }],
      want: ["soft", "worker"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod("p", c.tolerations ? { spec: { tolerations: c.tolerations } } : {});
      assert.deepEqual(passing(runFilter(taintToleration(), { pod, snapshot })), c.want);
    });
  }

  it("names the untolerated taint as upstream, with an empty value after the colon", () => {
    const statuses = runFilter(taintToleration(), { pod: makePod("p"), snapshot });
    assert.deepEqual(statuses.get("control-plane"), {
      code: "UnschedulableAndUnresolvable",
      reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"],
    });
    assert.deepEqual(statuses.get("foo")?.reasons, ["node(s) had untolerated taint {foo: bar}"]);
  });
});
