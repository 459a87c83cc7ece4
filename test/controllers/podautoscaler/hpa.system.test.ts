// System suite: the horizontal pod autoscaler end to end. A real API server
// (scraping metrics every second), the Deployment and ReplicaSet
// controllers, the real scheduler and two hollow nodes whose fake runtime
// reports the CPU a test sets. `kubectl autoscale` creates the HPA; high
// usage scales the Deployment up (by at most double or 4 per step, to
// maxReplicas), low usage scales it back down once the (shortened)
// downscale stabilization window has passed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import { DeploymentController } from "../../../src/controllers/deployment/controller.js";
import { HorizontalPodAutoscalerController } from "../../../src/controllers/podautoscaler/controller.js";
import { ReplicaSetController } from "../../../src/controllers/replicaset/controller.js";
import { Scheduler } from "../../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../../src/util/log.js";
import { type FakeNode, startFakeNode } from "../../support/fake-node.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const STABILIZATION_MS = 8_000;

const deployment = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: "c", image: "nginx:1", resources: { requests: { cpu: "100m" } } }],
      },
    },
  },
});

describe("horizontal pod autoscaler: a Deployment follows its CPU usage", () => {
  let h: ControllerHarness;
  let scheduler: Scheduler;
  const nodes: FakeNode[] = [];

  const hpa = async (): Promise<HorizontalPodAutoscaler> =>
    JSON.parse(await h.kubectl(["get", "hpa.v2.autoscaling", "web", "-o", "json"]));
  const replicas = async () =>
    Number(await h.kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"]));
  const setCpu = (nanoCores: number) => {
    for (const n of nodes) n.setUsage("web-", { nanoCores, workingSetBytes: 32 * 1024 * 1024 });
  };

  before(async () => {
    h = await startControllers(
      (ctx) => [
        new ReplicaSetController(ctx),
        new DeploymentController(ctx),
        new HorizontalPodAutoscalerController(ctx, {
          syncPeriodMs: 1_000,
          downscaleStabilizationMs: STABILIZATION_MS,
        }),
      ],
      { apiserver: { metricResolutionMs: 1_000 } },
    );
    scheduler = new Scheduler(h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    const ca = loadKubeconfig({ path: h.kubeconfig }).ca ?? "";
    for (const nodeName of ["node-a", "node-b"])
      nodes.push(await startFakeNode(h.rest, { nodeName, clientCA: ca }));
    await until("nodes Ready", async () => {
      const out = await h.kubectl(["get", "nodes", "--no-headers"]);
      return (out.match(/\sReady\s/g) ?? []).length === 2 ? true : undefined;
    });
  });

  after(async () => {
    for (const n of nodes) await n.remove();
    await scheduler?.stop();
    await h?.stop();
  });

  it("kubectl autoscale creates the HPA, which reports the usage once metrics arrive", async () => {
    setCpu(40_000_000); // 40m of 100m: 40%, under the 50% target
    await h.kubectl(["apply", "-f", "-"], deployment);
    await h.kubectl(["autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5"]);
    const status = await until(
      "current utilization",
      async () => {
        const s = (await hpa()).status;
        const current = s?.currentMetrics?.[0]?.resource?.current?.averageUtilization;
        return current !== undefined ? s : undefined;
      },
      30_000,
    );
    assert.equal(status?.currentMetrics?.[0]?.resource?.current?.averageUtilization, 40);
    assert.equal(status?.currentReplicas, 1);
    assert.equal(status?.desiredReplicas, 1);
    const table = await h.kubectl(["get", "hpa", "web", "--no-headers"]);
    assert.match(table, /^web\s+Deployment\/web\s+cpu: 40%\/50%\s+1\s+5\s+1\s/);
    assert.equal(await replicas(), 1);
  });

  it("scales up when usage is high, in steps, up to maxReplicas", async () => {
    setCpu(200_000_000); // 200%: four times the target
    await until("5 replicas", async () => ((await replicas()) === 5 ? true : undefined), 45_000);
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale",
      "-o",
      "jsonpath={range .items[*]}{.message}{'\\n'}{end}",
    ]);
    // From 1 the first step goes to 4 at most (double or +4), then to maxReplicas.
    assert.match(
      events,
      /^New size: 4; reason: cpu resource utilization \(percentage of request\) above target$/m,
    );
    assert.match(
      events,
      /^New size: 5; reason: cpu resource utilization \(percentage of request\) above target$/m,
    );
    assert.ok((await hpa()).status?.lastScaleTime, "lastScaleTime is set");
    await until("5 pods scheduled and running", async () => {
      const pods = await h.pods("default", "app=web");
      return pods.filter((p) => p.spec?.nodeName && p.status?.phase === "Running").length === 5
        ? true
        : undefined;
    });
    await until("TooManyReplicas once at the maximum", async () => {
      const limited = (await hpa()).status?.conditions?.find((c) => c.type === "ScalingLimited");
      return limited?.status === "True" && limited.reason === "TooManyReplicas" ? true : undefined;
    });
  });

  it("scales down only after the stabilization window once usage drops", async () => {
    setCpu(10_000_000); // 10%
    const dropped = Date.now();
    await until(
      "1 replica",
      async () => ((await replicas()) === 1 ? true : undefined),
      STABILIZATION_MS + 30_000,
    );
    const elapsed = Date.now() - dropped;
    assert.ok(elapsed >= STABILIZATION_MS - 1_000, `not before the window (${elapsed} ms)`);
    const status = (await hpa()).status;
    const able = status?.conditions?.find((c) => c.type === "AbleToScale");
    assert.equal(able?.status, "True");
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale",
      "-o",
      "jsonpath={range .items[*]}{.message}{'\\n'}{end}",
    ]);
    assert.match(events, /^New size: 1; reason: All metrics below target$/m);
    const describe = await h.kubectl(["describe", "hpa", "web"]);
    assert.match(describe, /ScalingActive\s+True\s+ValidMetricFound/);
  });
});
