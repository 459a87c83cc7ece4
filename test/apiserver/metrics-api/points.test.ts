import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addSummary, emptyBatch, type Summary } from "../../../src/apiserver/metrics-api/points.js";

const T = "2026-01-01T00:00:10Z";
const container = (name: string, usage: { cpu: number; memory: number }) => ({
  name,
  startTime: "2026-01-01T00:00:00Z",
  cpu: { time: T, usageCoreNanoSeconds: usage.cpu },
  memory: { time: T, workingSetBytes: usage.memory },
});

function summary(pods: NonNullable<Summary["pods"]>): Summary {
  return {
    node: {
      nodeName: "n1",
      cpu: { time: T, usageCoreNanoSeconds: 5e9 },
      memory: { workingSetBytes: 1 << 30 },
    },
    pods,
  };
}

describe("decoding /stats/summary into metric points", () => {
  it("keeps the node's and every complete pod's points, keyed namespace/name", () => {
    const batch = emptyBatch();
    addSummary(
      batch,
      summary([
        {
          podRef: { name: "web", namespace: "default" },
          containers: [
            container("a", { cpu: 1e9, memory: 4096 }),
            container("b", { cpu: 2e9, memory: 8192 }),
          ],
        },
      ]),
    );
    assert.deepEqual(batch.nodes.get("n1"), {
      timestamp: Date.parse(T),
      cumulativeCpu: 5e9,
      memory: 1 << 30,
    });
    const web = batch.pods.get("default/web");
    assert.deepEqual([...(web?.keys() ?? [])], ["a", "b"]);
    assert.deepEqual(web?.get("b"), {
      timestamp: Date.parse(T),
      cumulativeCpu: 2e9,
      memory: 8192,
      startTime: Date.parse("2026-01-01T00:00:00Z"),
    });
  });

  it("drops a whole pod when one container has zero or missing CPU or memory (missing, not idle, for the HPA)", () => {
    const batch = emptyBatch();
    addSummary(
      batch,
      summary([
        {
          podRef: { name: "zero-cpu", namespace: "d" },
          containers: [container("a", { cpu: 0, memory: 4096 })],
        },
        {
          podRef: { name: "partial", namespace: "d" },
          containers: [container("a", { cpu: 1e9, memory: 4096 }), { name: "b", cpu: { time: T } }],
        },
        {
          podRef: { name: "ok", namespace: "d" },
          containers: [container("a", { cpu: 1, memory: 1 })],
        },
      ]),
    );
    assert.deepEqual([...batch.pods.keys()], ["d/ok"]);
  });

  it("drops a node point without a CPU timestamp and ignores a summary without a node name", () => {
    const batch = emptyBatch();
    addSummary(batch, {
      node: { nodeName: "n1", cpu: { usageCoreNanoSeconds: 1 }, memory: { workingSetBytes: 1 } },
    });
    addSummary(batch, { pods: [{ podRef: { name: "p", namespace: "d" }, containers: [] }] });
    assert.equal(batch.nodes.size, 0);
    assert.equal(batch.pods.size, 0);
  });
});
