import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventPrinter } from "../../../src/api/tables/events.js";
import { ago, MIN, NOW, obj, SEC } from "./fixtures.js";

describe("event printer", () => {
  it("declares LAST SEEN TYPE REASON OBJECT MESSAGE with wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME", () => {
    assert.deepEqual(
      eventPrinter.columns.map((c) => [c.name, c.priority]),
      [
        ["Last Seen", 0],
        ["Type", 0],
        ["Reason", 0],
        ["Object", 0],
        ["Subobject", 1],
        ["Source", 1],
        ["Message", 0],
        ["First Seen", 1],
        ["Count", 1],
        ["Name", 1],
      ],
    );
  });

  it("prints a core/v1 kubelet event", () => {
    const ev = obj({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "web.17c3a", namespace: "default" },
      involvedObject: { kind: "Pod", name: "web", fieldPath: "spec.containers{nginx}" },
      reason: "Pulled",
      message: 'Successfully pulled image "nginx:1.7.9"\n',
      source: { component: "kubelet", host: "node-1" },
      firstTimestamp: ago(5 * MIN),
      lastTimestamp: ago(30 * SEC),
      count: 3,
      type: "Normal",
    });
    assert.deepEqual(eventPrinter.row(ev, NOW), [
      "30s",
      "Normal",
      "Pulled",
      "pod/web",
      "spec.containers{nginx}",
      "kubelet, node-1",
      'Successfully pulled image "nginx:1.7.9"',
      "5m",
      3,
      "web.17c3a",
    ]);
  });

  it("falls back to eventTime, count 1 and the reporting controller for new-style events", () => {
    const ev = obj({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "sched.1" },
      involvedObject: { kind: "Pod", name: "web" },
      reason: "Scheduled",
      message: "Successfully assigned default/web to node-1",
      eventTime: "2024-05-01T11:59:50.123456Z",
      reportingComponent: "default-scheduler",
      reportingInstance: "",
      type: "Normal",
    });
    const cells = eventPrinter.row(ev, NOW);
    assert.deepEqual(
      [cells[0], cells[5], cells[7], cells[8]],
      ["9s", "default-scheduler", "9s", 1],
    );
  });

  it("uses the series for count and last seen", () => {
    const ev = obj({
      metadata: { name: "e" },
      involvedObject: { kind: "Node" },
      eventTime: ago(10 * MIN),
      series: { count: 12, lastObservedTime: "2024-05-01T11:58:00.000000Z" },
      type: "Warning",
      reason: "Rebooted",
    });
    const cells = eventPrinter.row(ev, NOW);
    assert.deepEqual([cells[0], cells[3], cells[7], cells[8]], ["2m", "node", "10m", 12]);
  });

  it("reads events.k8s.io/v1 field names", () => {
    const ev = obj({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "web.1" },
      regarding: { kind: "Deployment", name: "nginx-deployment" },
      note: "Scaled up replica set nginx-deployment-6b474476c4 to 2",
      reason: "ScalingReplicaSet",
      type: "Normal",
      reportingController: "deployment-controller",
      deprecatedSource: { component: "deployment-controller" },
      deprecatedFirstTimestamp: ago(90 * SEC),
      deprecatedLastTimestamp: ago(90 * SEC),
      deprecatedCount: 1,
    });
    assert.deepEqual(eventPrinter.row(ev, NOW), [
      "90s",
      "Normal",
      "ScalingReplicaSet",
      "deployment/nginx-deployment",
      "",
      "deployment-controller",
      "Scaled up replica set nginx-deployment-6b474476c4 to 2",
      "90s",
      1,
      "web.1",
    ]);
  });
});
