import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cpuQuantity,
  goDuration,
  memoryQuantity,
  metricsList,
  metricsTable,
  nodeMetrics,
  podMetrics,
  rowUsage,
} from "../../../src/apiserver/metrics-api/objects.js";

const NOW = Date.parse("2026-01-01T00:01:00.500Z");

describe("metrics objects", () => {
  it("prints CPU in nanocores and memory in bytes as canonical quantities", () => {
    assert.equal(cpuQuantity(123_456_789), "123456789n");
    assert.equal(cpuQuantity(250_000_000), "250m");
    assert.equal(cpuQuantity(2_000_000_000), "2");
    assert.equal(cpuQuantity(0), "0");
    assert.equal(memoryQuantity(4096 * 1024), "4Mi");
    assert.equal(memoryQuantity(12_288), "12Ki");
    assert.equal(memoryQuantity(1000), "1k");
    assert.equal(memoryQuantity(1_234_567), "1234567");
  });

  it("writes windows as Go durations", () => {
    for (const [ms, text] of [
      [15_000, "15s"],
      [15_012, "15.012s"],
      [500, "500ms"],
      [60_000, "1m0s"],
      [90_500, "1m30.5s"],
      [3_600_000, "1h0m0s"],
      [0, "0s"],
    ] as const)
      assert.equal(goDuration(ms), text);
  });

  it("builds NodeMetrics and PodMetrics as metrics-server does", () => {
    const usage = { timestamp: NOW, windowMs: 15_000, cpuNanoCores: 5e8, memoryBytes: 1 << 20 };
    assert.deepEqual(nodeMetrics({ name: "n1", labels: { zone: "a" } }, { usage, now: NOW }), {
      kind: "NodeMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name: "n1", creationTimestamp: "2026-01-01T00:01:00Z", labels: { zone: "a" } },
      timestamp: "2026-01-01T00:01:00Z",
      window: "15s",
      usage: { cpu: "500m", memory: "1Mi" },
    });
    const pod = podMetrics(
      { name: "web", namespace: "default" },
      {
        usage: {
          timestamp: NOW,
          windowMs: 14_000,
          containers: [{ name: "c", ...usage }],
        },
        now: NOW,
      },
    );
    assert.deepEqual(pod.metadata, {
      name: "web",
      namespace: "default",
      creationTimestamp: "2026-01-01T00:01:00Z",
    });
    assert.deepEqual(pod.containers, [{ name: "c", usage: { cpu: "500m", memory: "1Mi" } }]);
    assert.deepEqual(metricsList("PodMetrics", [pod]), {
      kind: "PodMetricsList",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: {},
      items: [pod],
    });
  });

  it("renders a Table with the pod's usage summed over its containers", () => {
    const c = { timestamp: NOW, windowMs: 15_000, cpuNanoCores: 1e8, memoryBytes: 1024 };
    const usage = {
      timestamp: NOW,
      windowMs: 15_000,
      containers: [
        { name: "a", ...c },
        { name: "b", ...c },
      ],
    };
    const object = podMetrics({ name: "web", namespace: "d" }, { usage, now: NOW });
    const table = metricsTable([{ name: "web", object, ...rowUsage(usage) }], {
      version: "v1",
      includeObject: "Metadata",
    }) as {
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    assert.deepEqual(
      table.columnDefinitions.map((d) => d.name),
      ["Name", "CPU", "Memory", "Window"],
    );
    assert.deepEqual(table.rows[0]?.cells, ["web", "200m", "2Ki", "15s"]);
    assert.equal(table.rows[0]?.object.kind, "PartialObjectMetadata");
  });
});
