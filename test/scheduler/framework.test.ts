import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { eventMatches, nodeUpdateActions } from "../../src/scheduler/framework/events.js";
import { type Diagnosis, fitErrorMessage } from "../../src/scheduler/framework/fit-error.js";
import { HostPortInfo } from "../../src/scheduler/framework/host-ports.js";
import { defaultNormalizeScores } from "../../src/scheduler/framework/interface.js";
import { computePodResourceRequest } from "../../src/scheduler/framework/resource.js";
import { selectHost } from "../../src/scheduler/framework/schedule.js";
import { type Status, unresolvable, unschedulable } from "../../src/scheduler/framework/status.js";
import { makeNode, makePod, nodeInfoOf } from "./fixtures.js";

const MI = 1024 * 1024;

describe("computePodResourceRequest", () => {
  const cases: { name: string; pod: Pod; nonZero?: boolean; cpu: number; memory: number }[] = [
    {
      name: "sums the requests of regular containers",
      pod: makePod("p", {
        containers: [
          { name: "a", resources: { requests: { cpu: "250m", memory: "64Mi" } } },
          { name: "b", resources: { requests: { cpu: "1", memory: "128Mi" } } },
        ],
      }),
      cpu: 1250,
      memory: 192 * MI,
    },
    {
      name: "takes the largest init container when it exceeds the containers",
      pod: makePod("p", {
        containers: [{ name: "a", resources: { requests: { cpu: "1", memory: "1Gi" } } }],
        spec: {
          initContainers: [
            { name: "i1", resources: { requests: { cpu: "2", memory: "512Mi" } } },
            { name: "i2", resources: { requests: { cpu: "500m", memory: "3Gi" } } },
          ],
        },
      }),
      cpu: 2000,
      memory: 3072 * MI,
    },
    {
      name: "adds sidecars to the containers and to later init containers",
      pod: makePod("p", {
        containers: [{ name: "a", resources: { requests: { cpu: "1" } } }],
        spec: {
          initContainers: [
            { name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
            { name: "migrate", resources: { requests: { cpu: "2" } } },
          ],
        },
      }),
      cpu: 2500,
      memory: 0,
    },
    {
      name: "adds the runtime class overhead",
      pod: makePod("p", {
        requests: { cpu: "100m", memory: "10Mi" },
        spec: { overhead: { cpu: "250m", memory: "120Mi" } },
      }),
      cpu: 350,
      memory: 130 * MI,
    },
    {
      name: "counts containers without requests as 100m and 200Mi for scoring",
      pod: makePod("p", {
        containers: [{ name: "a" }, { name: "b", resources: { requests: { cpu: "300m" } } }],
      }),
      nonZero: true,
      cpu: 400,
      memory: 400 * MI,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computePodResourceRequest(c.pod, { nonZero: c.nonZero ?? false });
      assert.equal(r.milliCPU, c.cpu);
      assert.equal(r.memory, c.memory);
    });
  }

  it("counts extended resources as scalars", () => {
    const r = computePodResourceRequest(makePod("p", { requests: { "nvidia.com/gpu": "2" } }));
    assert.deepEqual(r.scalar, { "nvidia.com/gpu": 2 });
  });
});

describe("NodeInfo", () => {
  it("tracks requested resources, host ports and pod count as pods come and go", () => {
    const web = makePod("web", {
      nodeName: "n1",
      requests: { cpu: "500m", memory: "256Mi" },
      containers: [
        {
          name: "web",
          resources: { requests: { cpu: "500m", memory: "256Mi" } },
          ports: [{ containerPort: 80, hostPort: 8080 }],
        },
      ],
    });
    const info = nodeInfoOf(makeNode("n1"), [web, makePod("idle", { nodeName: "n1" })]);
    assert.equal(info.pods.length, 2);
    assert.equal(info.requested.milliCPU, 500);
    assert.equal(info.nonZeroRequested.milliCPU, 600);
    assert.equal(info.nonZeroRequested.memory, 456 * MI);
    assert.equal(info.usedPorts.conflicts({ hostPort: 8080 }), true);
    const copy = info.clone();
    assert.equal(copy.removePod(web), true);
    assert.equal(copy.requested.milliCPU, 0);
    assert.equal(copy.usedPorts.conflicts({ hostPort: 8080 }), false);
    assert.equal(info.requested.milliCPU, 500, "the original is untouched");
  });
});

describe("HostPortInfo", () => {
  const used = new HostPortInfo();
  used.add({ hostPort: 80, hostIP: "10.0.0.1" });
  used.add({ hostPort: 53, protocol: "UDP" });
  const cases = [
    {
      name: "same IP, protocol and port conflict",
      port: { hostPort: 80, hostIP: "10.0.0.1" },
      want: true,
    },
    {
      name: "another IP on the same port does not conflict",
      port: { hostPort: 80, hostIP: "10.0.0.2" },
      want: false,
    },
    { name: "0.0.0.0 conflicts with any IP", port: { hostPort: 80 }, want: true },
    {
      name: "any IP conflicts with a 0.0.0.0 binding",
      port: { hostPort: 53, protocol: "UDP", hostIP: "10.0.0.9" },
      want: true,
    },
    { name: "TCP does not conflict with UDP", port: { hostPort: 53 }, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(used.conflicts(c.port), c.want));
  }
});

function diagnosisOf(statuses: Record<string, Status>, extra: Partial<Diagnosis> = {}): Diagnosis {
  return {
    nodeToStatus: new Map(Object.entries(statuses)),
    unschedulablePlugins: new Set(),
    ...extra,
  };
}

describe("fitErrorMessage", () => {
  const affinity = "node(s) didn't match Pod's node affinity/selector";
  const cases: { name: string; diagnosis: Diagnosis; nodes: number; want: string }[] = [
    {
      name: "counts and sorts reasons as upstream",
      diagnosis: diagnosisOf({
        a: unschedulable("Insufficient cpu"),
        b: unresolvable(affinity),
        c: unresolvable(affinity),
      }),
      nodes: 3,
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: "counts every reason of a node that gave several",
      diagnosis: diagnosisOf({
        a: unschedulable("Insufficient cpu", "Insufficient memory"),
        b: unschedulable("Insufficient memory"),
      }),
      nodes: 2,
      want: "0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.",
    },
    {
      name: "sorts counts as strings, so 10 comes before 2",
      diagnosis: diagnosisOf({
        ...Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [
            `t${i}`,
            unresolvable("node(s) were unschedulable"),
          ]),
        ),
        x: unschedulable("Insufficient cpu"),
        y: unschedulable("Insufficient cpu"),
      }),
      nodes: 12,
      want: "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.",
    },
    {
      name: "appends the preemption message",
      diagnosis: diagnosisOf(
        {
          cp: unresolvable(
            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
          ),
          w1: unresolvable(affinity),
          w2: unresolvable(affinity),
        },
        {
          postFilterMsg:
            "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        },
      ),
      nodes: 3,
      want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: "prints only the PreFilter message when a PreFilter rejected the pod",
      diagnosis: diagnosisOf(
        { a: unresolvable("pod has unbound immediate PersistentVolumeClaims") },
        { preFilterMsg: "pod has unbound immediate PersistentVolumeClaims" },
      ),
      nodes: 1,
      want: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(fitErrorMessage(c.diagnosis, c.nodes), c.want));
  }
});

describe("selectHost", () => {
  it("picks the highest score", () => {
    const scores = [
      { name: "a", score: 10 },
      { name: "b", score: 30 },
      { name: "c", score: 20 },
    ];
    assert.equal(
      selectHost(scores, () => 0.99),
      "b",
    );
  });

  it("breaks ties through the injected random source", () => {
    const scores = [
      { name: "a", score: 50 },
      { name: "b", score: 50 },
      { name: "c", score: 50 },
    ];
    assert.equal(
      selectHost(scores, () => 0),
      "c",
      "random 0 always takes the newest tie",
    );
    assert.equal(
      selectHost(scores, () => 0.99),
      "a",
      "random near 1 keeps the first",
    );
  });
});

describe("defaultNormalizeScores", () => {
  it("scales to 100 by the maximum, or reverses for fewer-is-better", () => {
    const raw = [
      { name: "a", score: 0 },
      { name: "b", score: 1 },
      { name: "c", score: 3 },
    ];
    assert.deepEqual(
      defaultNormalizeScores(raw).map((s) => s.score),
      [0, 33, 100],
    );
    assert.deepEqual(
      defaultNormalizeScores(raw, { reverse: true }).map((s) => s.score),
      [100, 67, 0],
    );
  });
});

describe("cluster events", () => {
  it("classifies a node update by what changed", () => {
    const before = makeNode("n1");
    const after = makeNode("n1", { labels: { disktype: "ssd" }, cpu: "8" });
    assert.deepEqual(nodeUpdateActions(before, after), [
      "UpdateNodeAllocatable",
      "UpdateNodeLabel",
    ]);
    const cordoned = makeNode("n1", { unschedulable: true });
    assert.deepEqual(nodeUpdateActions(before, cordoned), ["UpdateNodeTaint"]);
  });

  it("matches a registered generic Update against a specific update", () => {
    const registered = { resource: "Node", actions: ["Add", "Update"] } as const;
    assert.equal(eventMatches(registered, { resource: "Node", action: "UpdateNodeLabel" }), true);
    assert.equal(eventMatches(registered, { resource: "Pod", action: "Add" }), false);
  });
});
