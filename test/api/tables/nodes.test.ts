import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodePrinter, nodeRoles } from "../../../src/api/tables/nodes.js";
import { ago, DAY, NOW, obj } from "./fixtures.js";

function node(fields: { labels?: Record<string, string>; spec?: object; status?: object }) {
  return obj({
    metadata: { name: "node-1", creationTimestamp: ago(20 * DAY), labels: fields.labels ?? {} },
    spec: fields.spec ?? {},
    status: fields.status ?? {},
  });
}

const info = {
  kubeletVersion: "v1.32.0",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  kernelVersion: "6.1.0-18-amd64",
  containerRuntimeVersion: "runc://1.1.5",
};

describe("node printer", () => {
  it("prints a ready control-plane node with its InternalIP", () => {
    const n = node({
      labels: { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "node-1" },
      status: {
        conditions: [
          { type: "MemoryPressure", status: "False" },
          { type: "Ready", status: "True" },
        ],
        addresses: [
          { type: "InternalIP", address: "192.168.1.10" },
          { type: "Hostname", address: "node-1" },
        ],
        nodeInfo: info,
      },
    });
    assert.deepEqual(nodePrinter.row(n, NOW), [
      "node-1",
      "Ready",
      "control-plane",
      "20d",
      "v1.32.0",
      "192.168.1.10",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.1.0-18-amd64",
      "runc://1.1.5",
    ]);
  });

  const cases: Array<{ name: string; spec?: object; conditions: object[]; want: string }> = [
    {
      name: "a node whose Ready is False reads NotReady",
      conditions: [{ type: "Ready", status: "False" }],
      want: "NotReady",
    },
    {
      name: "a node whose Ready is Unknown reads NotReady",
      conditions: [{ type: "Ready", status: "Unknown" }],
      want: "NotReady",
    },
    { name: "a node without a Ready condition reads Unknown", conditions: [], want: "Unknown" },
    {
      name: "a cordoned node adds SchedulingDisabled",
      spec: { unschedulable: true },
      conditions: [{ type: "Ready", status: "True" }],
      want: "Ready,SchedulingDisabled",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const n = node({ ...(c.spec ? { spec: c.spec } : {}), status: { conditions: c.conditions } });
      assert.equal(nodePrinter.row(n, NOW)[1], c.want);
    });
  }

  it("prints <none> roles and <unknown> node info for a bare node", () => {
    const cells = nodePrinter.row(node({}), NOW);
    assert.deepEqual(cells.slice(2, 10), [
      "<none>",
      "20d",
      "",
      "<none>",
      "<none>",
      "<unknown>",
      "<unknown>",
      "<unknown>",
    ]);
  });

  it("collects roles from both label forms, sorted and de-duplicated", () => {
    assert.deepEqual(
      nodeRoles({
        "node-role.kubernetes.io/worker": "",
        "node-role.kubernetes.io/": "",
        "kubernetes.io/role": "master",
        "node-role.kubernetes.io/master": "true",
      }),
      ["master", "worker"],
    );
  });
});
