import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podPrinter, podTemplatePrinter } from "../../../src/api/tables/pods.js";
import { ago, HOUR, MIN, NOW, obj, SEC } from "./fixtures.js";

function pod(opts: {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  meta?: Record<string, unknown>;
}) {
  return obj({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", creationTimestamp: ago(5 * MIN), ...opts.meta },
    spec: { containers: [{ name: "nginx", image: "nginx:1.7.9" }], ...opts.spec },
    status: opts.status ?? {},
  });
}

const running = { running: { startedAt: ago(4 * MIN) } };

describe("pod printer", () => {
  it("declares NAME READY STATUS RESTARTS AGE and the four wide columns", () => {
    assert.deepEqual(
      podPrinter.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ["Name", "string", 0],
        ["Ready", "string", 0],
        ["Status", "string", 0],
        ["Restarts", "string", 0],
        ["Age", "string", 0],
        ["IP", "string", 1],
        ["Node", "string", 1],
        ["Nominated Node", "string", 1],
        ["Readiness Gates", "string", 1],
      ],
    );
    assert.equal(podPrinter.columns[0]?.format, "name");
  });

  it("prints a running nginx pod with its IP and node", () => {
    const p = pod({
      spec: { nodeName: "node-1" },
      status: {
        phase: "Running",
        podIP: "10.42.0.5",
        podIPs: [{ ip: "10.42.0.5" }],
        containerStatuses: [{ name: "nginx", ready: true, restartCount: 0, state: running }],
      },
    });
    assert.deepEqual(podPrinter.row(p, NOW), [
      "web",
      "1/1",
      "Running",
      "0",
      "5m",
      "10.42.0.5",
      "node-1",
      "<none>",
      "<none>",
    ]);
    assert.equal(podPrinter.conditions?.(p), undefined);
  });

  const statusCases: Array<{
    name: string;
    spec?: Record<string, unknown>;
    status: Record<string, unknown>;
    meta?: Record<string, unknown>;
    ready: string;
    shown: string;
    restarts?: string;
  }> = [
    {
      name: "an unscheduled pod reads Pending",
      status: { phase: "Pending" },
      ready: "0/1",
      shown: "Pending",
    },
    {
      name: "a pod pulling its image reads ContainerCreating",
      status: {
        phase: "Pending",
        containerStatuses: [
          {
            name: "nginx",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ContainerCreating" } },
          },
        ],
      },
      ready: "0/1",
      shown: "ContainerCreating",
    },
    {
      name: "a crashing container reads CrashLoopBackOff with the time of its last restart",
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "nginx",
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s" } },
            lastState: {
              terminated: { exitCode: 1, reason: "Error", finishedAt: ago(5 * MIN) },
            },
          },
        ],
      },
      ready: "0/1",
      shown: "CrashLoopBackOff",
      restarts: "5 (5m ago)",
    },
    {
      name: "restarts without a recorded finish time print the bare count",
      status: {
        phase: "Running",
        containerStatuses: [{ name: "nginx", ready: true, restartCount: 3, state: running }],
      },
      ready: "1/1",
      shown: "Running",
      restarts: "3",
    },
    {
      name: "a finished container reads Completed",
      status: {
        phase: "Succeeded",
        containerStatuses: [
          {
            name: "nginx",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
        ],
      },
      ready: "0/1",
      shown: "Completed",
    },
    {
      name: "a container killed by a signal without a reason reads Signal:N",
      status: {
        phase: "Failed",
        containerStatuses: [
          {
            name: "nginx",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137, signal: 9 } },
          },
        ],
      },
      ready: "0/1",
      shown: "Signal:9",
    },
    {
      name: "a container exiting without a reason reads ExitCode:N",
      status: {
        phase: "Failed",
        containerStatuses: [
          { name: "nginx", ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } },
        ],
      },
      ready: "0/1",
      shown: "ExitCode:3",
    },
    {
      name: "a completed container beside a running one reads NotReady without the Ready condition",
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "a",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
          { name: "b", ready: true, restartCount: 0, state: running },
        ],
      },
      ready: "1/2",
      shown: "NotReady",
    },
    {
      name: "the same pod reads Running once the Ready condition is True",
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
          {
            name: "a",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
          { name: "b", ready: true, restartCount: 0, state: running },
        ],
      },
      ready: "1/2",
      shown: "Running",
    },
    {
      name: "a running init container reads Init:0/2",
      spec: { initContainers: [{ name: "i1" }, { name: "i2" }] },
      status: {
        phase: "Pending",
        initContainerStatuses: [
          { name: "i1", ready: false, restartCount: 0, state: running },
          {
            name: "i2",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "PodInitializing" } },
          },
        ],
      },
      ready: "0/1",
      shown: "Init:0/2",
    },
    {
      name: "the second init container running reads Init:1/2",
      spec: { initContainers: [{ name: "i1" }, { name: "i2" }] },
      status: {
        phase: "Pending",
        initContainerStatuses: [
          {
            name: "i1",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
          { name: "i2", ready: false, restartCount: 0, state: running },
        ],
      },
      ready: "0/1",
      shown: "Init:1/2",
    },
    {
      name: "a crashing init container reads Init:CrashLoopBackOff and counts its restarts",
      spec: { initContainers: [{ name: "i1" }] },
      status: {
        phase: "Pending",
        initContainerStatuses: [
          {
            name: "i1",
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * SEC) } },
          },
        ],
      },
      ready: "0/1",
      shown: "Init:CrashLoopBackOff",
      restarts: "2 (30s ago)",
    },
    {
      name: "a failed init container reads Init:Error",
      spec: { initContainers: [{ name: "i1" }] },
      status: {
        phase: "Failed",
        initContainerStatuses: [
          {
            name: "i1",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 1, reason: "Error" } },
          },
        ],
      },
      ready: "0/1",
      shown: "Init:Error",
    },
    {
      name: "an init container exiting without a reason reads Init:ExitCode:N",
      spec: { initContainers: [{ name: "i1" }] },
      status: {
        phase: "Pending",
        initContainerStatuses: [
          { name: "i1", ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } },
        ],
      },
      ready: "0/1",
      shown: "Init:ExitCode:2",
    },
    {
      name: "a started sidecar counts toward READY and does not block the pod",
      spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [
          { name: "proxy", ready: true, started: true, restartCount: 1, state: running },
        ],
        containerStatuses: [{ name: "nginx", ready: true, restartCount: 0, state: running }],
      },
      ready: "2/2",
      shown: "Running",
      restarts: "1",
    },
    {
      name: "a scheduling-gated pod reads SchedulingGated",
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
      },
      ready: "0/1",
      shown: "SchedulingGated",
    },
    {
      name: "a pod being deleted reads Terminating",
      meta: { deletionTimestamp: ago(10 * SEC) },
      status: {
        phase: "Running",
        containerStatuses: [{ name: "nginx", ready: true, restartCount: 0, state: running }],
      },
      ready: "1/1",
      shown: "Terminating",
    },
    {
      name: "a finished pod being deleted keeps its terminal status",
      meta: { deletionTimestamp: ago(10 * SEC) },
      status: {
        phase: "Succeeded",
        containerStatuses: [
          {
            name: "nginx",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
        ],
      },
      ready: "0/1",
      shown: "Completed",
    },
    {
      name: "a pod on a lost node being deleted reads Unknown",
      meta: { deletionTimestamp: ago(10 * SEC) },
      status: { phase: "Running", reason: "NodeLost" },
      ready: "0/1",
      shown: "Unknown",
    },
    {
      name: "an evicted pod shows the status reason",
      status: { phase: "Failed", reason: "Evicted" },
      ready: "0/1",
      shown: "Evicted",
    },
  ];

  for (const c of statusCases) {
    it(c.name, () => {
      const cells = podPrinter.row(
        pod({
          ...(c.spec ? { spec: c.spec } : {}),
          status: c.status,
          ...(c.meta ? { meta: c.meta } : {}),
        }),
        NOW,
      );
      assert.equal(cells[1], c.ready);
      assert.equal(cells[2], c.shown);
      assert.equal(cells[3], c.restarts ?? "0");
    });
  }

  it("marks succeeded and failed pods with a Completed row condition", () => {
    assert.deepEqual(podPrinter.conditions?.(pod({ status: { phase: "Succeeded" } })), [
      {
        type: "Completed",
        status: "True",
        reason: "Succeeded",
        message: "The pod has completed successfully.",
      },
    ]);
    assert.equal(
      podPrinter.conditions?.(pod({ status: { phase: "Failed" } }))?.[0]?.reason,
      "Failed",
    );
  });

  it("counts readiness gates whose condition is True", () => {
    const p = pod({
      spec: { readinessGates: [{ conditionType: "a" }, { conditionType: "b" }] },
      status: {
        phase: "Running",
        nominatedNodeName: "node-2",
        conditions: [
          { type: "a", status: "True" },
          { type: "b", status: "False" },
        ],
      },
    });
    const cells = podPrinter.row(p, NOW);
    assert.deepEqual(cells.slice(5), ["<none>", "<none>", "node-2", "1/2"]);
  });

  it("ages a pod created a day and a half ago as 36h", () => {
    const p = pod({ meta: { creationTimestamp: ago(36 * HOUR) }, status: { phase: "Running" } });
    assert.equal(podPrinter.row(p, NOW)[4], "36h");
  });
});

describe("pod template printer", () => {
  it("prints containers, images and the template's labels", () => {
    const t = obj({
      metadata: { name: "tpl" },
      template: {
        metadata: { labels: { tier: "web", app: "nginx" } },
        spec: {
          containers: [
            { name: "nginx", image: "nginx:1.7.9" },
            { name: "log", image: "busybox" },
          ],
        },
      },
    });
    assert.deepEqual(podTemplatePrinter.row(t, NOW), [
      "tpl",
      "nginx,log",
      "nginx:1.7.9,busybox",
      "app=nginx,tier=web",
    ]);
  });
});
