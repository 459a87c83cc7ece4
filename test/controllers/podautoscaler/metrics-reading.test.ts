import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseGoDuration,
  podMetricsInfo,
} from "../../../src/controllers/podautoscaler/resource-metrics.js";
import { scaleTargetResource } from "../../../src/controllers/podautoscaler/scale-target.js";

describe("reading PodMetrics", () => {
  const list = {
    items: [
      {
        metadata: { name: "a", namespace: "d" },
        timestamp: "2026-01-01T00:00:00Z",
        window: "15.5s",
        containers: [
          { name: "main", usage: { cpu: "250m", memory: "64Mi" } },
          { name: "side", usage: { cpu: "1500000n", memory: "1Mi" } },
        ],
      },
      {
        metadata: { name: "b", namespace: "d" },
        containers: [{ name: "main", usage: { memory: "1Mi" } }],
      },
      { metadata: { name: "c", namespace: "d" }, containers: [] },
    ],
  };

  it("sums a pod's containers in milli-units and drops pods missing the resource", () => {
    const cpu = podMetricsInfo(list, { resource: "cpu" });
    assert.deepEqual([...cpu.keys()], ["a"]);
    assert.deepEqual(cpu.get("a"), {
      value: 252,
      timestamp: Date.parse("2026-01-01T00:00:00Z"),
      windowMs: 15_500,
    });
    assert.equal(podMetricsInfo(list, { resource: "memory" }).get("b")?.value, 1024 * 1024 * 1000);
  });

  it("reads one container when asked, and fails when a pod lacks it", () => {
    assert.throws(() => podMetricsInfo(list, { resource: "cpu", container: "side" }), {
      message: "container side not present in metrics for pod d/b",
    });
    const one = podMetricsInfo(
      { items: [list.items[0] as (typeof list.items)[0]] },
      {
        resource: "cpu",
        container: "side",
      },
    );
    assert.equal(one.get("a")?.value, 2);
  });

  it("fails on an empty list as upstream", () => {
    assert.throws(() => podMetricsInfo({ items: [] }, { resource: "cpu" }), {
      message: "no metrics returned from resource metrics API",
    });
  });

  it("parses Go durations", () => {
    assert.equal(parseGoDuration("1m0.5s"), 60_500);
    assert.equal(parseGoDuration("500ms"), 500);
    assert.ok(Number.isNaN(parseGoDuration("soon")));
  });
});

describe("scale targets", () => {
  it("maps the scalable kinds to their resources", () => {
    assert.deepEqual(
      scaleTargetResource({ apiVersion: "apps/v1", kind: "Deployment", name: "x" }),
      {
        group: "apps",
        version: "v1",
        resource: "deployments",
        namespaced: true,
      },
    );
    assert.equal(
      scaleTargetResource({ apiVersion: "v1", kind: "ReplicationController", name: "x" }).resource,
      "replicationcontrollers",
    );
    assert.equal(
      scaleTargetResource({ apiVersion: "example.com/v1", kind: "Widget", name: "x" }).resource,
      "widgets",
    );
  });

  it("refuses a malformed apiVersion", () => {
    assert.throws(() => scaleTargetResource({ apiVersion: "a/b/c", kind: "X", name: "x" }), {
      name: "ScaleTargetError",
    });
  });
});
