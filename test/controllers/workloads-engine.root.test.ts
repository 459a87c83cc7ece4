// Root suite: the notes' workload walkthrough on real containers. A kubelet
// over the runc engine (loopback registry with the test images, CNI
// bridge), the real scheduler and the controllers in this process, all
// talking through a real API server; driven with the real kubectl.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { SharedInformerFactory } from "../../src/client/informer/factory.js";
import { realClock } from "../../src/client/util/clock.js";
import { DeploymentController } from "../../src/controllers/deployment/controller.js";
import { GarbageCollector } from "../../src/controllers/garbagecollector/garbage-collector.js";
import { JobController } from "../../src/controllers/job/controller.js";
import { LocalPathProvisioner } from "../../src/controllers/localpath/provisioner.js";
import {
  newControllerContext,
  type RunnableController,
} from "../../src/controllers/manager/context.js";
import { PersistentVolumeController } from "../../src/controllers/persistentvolume/controller.js";
import { ReplicaSetController } from "../../src/controllers/replicaset/controller.js";
import { StatefulSetController } from "../../src/controllers/statefulset/controller.js";
import { Scheduler } from "../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../src/util/log.js";
import { type EngineKubelet, httpGet, startEngineKubelet } from "../kubelet/engine-harness.js";
import { until } from "../kubelet/harness.js";

const isAvailable = (p: Pod) =>
  !p.metadata?.deletionTimestamp &&
  p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

describe("workload controllers on real containers", () => {
  let k: EngineKubelet;
  let scheduler: Scheduler;
  let informers: SharedInformerFactory;
  let controllers: RunnableController[] = [];
  const kubectl = (args: string[], input?: string) => k.h.kubectl(args, input);
  const pods = async (selector: string): Promise<Pod[]> =>
    JSON.parse(await kubectl(["get", "pods", "-l", selector, "-o", "json"])).items;

  before(async () => {
    k = await startEngineKubelet(2);
    scheduler = new Scheduler(k.h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    informers = new SharedInformerFactory(k.h.rest);
    const ctx = newControllerContext({
      rest: k.h.rest,
      informers,
      log: silentLogger,
      clock: realClock,
    });
    controllers = [
      new DeploymentController(ctx),
      new ReplicaSetController(ctx),
      new JobController(ctx),
      new GarbageCollector(ctx),
      new StatefulSetController(ctx),
      new PersistentVolumeController(ctx),
      new LocalPathProvisioner(ctx, { basePath: join(k.dir, "storage") }),
    ];
    informers.start();
    await Promise.all(controllers.map((c) => c.run(2)));
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
    await informers?.stop();
    await scheduler?.stop();
    await k?.stop();
  });

  it("the notes' rolling update: 1.7.9 → 1.8 with at least 2 available and at most 4 pods, then undo", async () => {
    await k.apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "nginx-deployment", labels: { app: "nginx" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "nginx" } },
        template: {
          metadata: { labels: { app: "nginx" } },
          spec: {
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: "nginx",
                image: "nginx:1.7.9",
                ports: [{ containerPort: 80 }],
                readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    await kubectl(["rollout", "status", "deployment/nginx-deployment", "--timeout=120s"]);
    const first = await pods("app=nginx");
    assert.equal(first.length, 3);
    for (const p of first) {
      const body = await httpGet(`http://${p.status?.podIP}/`);
      assert.match(body ?? "", /Welcome to nginx/);
    }

    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ps = (await pods("app=nginx")).filter((p) => !p.metadata?.deletionTimestamp);
        max = Math.max(max, ps.length);
        min = Math.min(min, ps.filter(isAvailable).length);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await kubectl(["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.8"]);
    await kubectl(["rollout", "status", "deployment/nginx-deployment", "--timeout=120s"]);
    sampling = false;
    await sampler;
    assert.ok(max <= 4, `at most 4 pods (saw ${max})`);
    assert.ok(min >= 2, `at least 2 available (saw ${min})`);
    const updated = await until("3 pods on 1.8", async () => {
      const ps = (await pods("app=nginx")).filter((p) => !p.metadata?.deletionTimestamp);
      return ps.length === 3 &&
        ps.every((p) => p.status?.containerStatuses?.[0]?.image?.endsWith("nginx:1.8"))
        ? ps
        : undefined;
    });
    assert.equal(updated.length, 3);

    await kubectl(["rollout", "undo", "deployment/nginx-deployment", "--to-revision=1"]);
    await kubectl(["rollout", "status", "deployment/nginx-deployment", "--timeout=120s"]);
    const revision = await kubectl([
      "get",
      "deployment",
      "nginx-deployment",
      "-o",
      "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}",
    ]);
    assert.equal(revision, "3");
    await until("3 pods back on 1.7.9", async () => {
      const ps = (await pods("app=nginx")).filter((p) => !p.metadata?.deletionTimestamp);
      return ps.length === 3 && ps.every((p) => p.spec?.containers[0]?.image === "nginx:1.7.9")
        ? true
        : undefined;
    });
  });

  it("deleting the Deployment removes its ReplicaSets and pods (garbage collection)", async () => {
    await kubectl([
      "delete",
      "deployment",
      "nginx-deployment",
      "--cascade=foreground",
      "--timeout=120s",
    ]);
    await until(
      "no ReplicaSets or pods",
      async () => {
        const rs = JSON.parse(await kubectl(["get", "rs", "-l", "app=nginx", "-o", "json"])).items;
        const ps = await pods("app=nginx");
        return rs.length === 0 && ps.length === 0 ? true : undefined;
      },
      60_000,
    );
  });

  it("a Job with completions 4 and parallelism 2 completes with 4 successes, never more than 2 at once", async () => {
    await k.apply({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pi" },
      spec: {
        completions: 4,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: "Never",
            containers: [
              { name: "pi", image: "busybox", command: ["sh", "-c", "echo $((2 * 21)); sleep 1"] },
            ],
          },
        },
      },
    });
    let maxActive = 0;
    const done = await until(
      "Job Complete",
      async () => {
        const ps = await pods("job-name=pi");
        maxActive = Math.max(
          maxActive,
          ps.filter((p) => p.status?.phase === "Running" || p.status?.phase === "Pending").length,
        );
        const job = JSON.parse(await kubectl(["get", "job", "pi", "-o", "json"]));
        return job.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === "Complete" && c.status === "True",
        )
          ? job
          : undefined;
      },
      120_000,
    );
    assert.equal(done.status.succeeded, 4);
    assert.ok(maxActive <= 2, `never more than 2 active (saw ${maxActive})`);
    const [one] = await pods("job-name=pi");
    assert.equal((await kubectl(["logs", one?.metadata?.name ?? ""])).trim(), "42");
    await kubectl(["delete", "job", "pi", "--cascade=foreground", "--timeout=60s"]);
  });

  it("the notes' StatefulSet web: ordered start, stable names and storage that survives its pods", async () => {
    await kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "nginx", labels: { app: "nginx-sts" } },
        spec: {
          clusterIP: "None",
          selector: { app: "nginx-sts" },
          ports: [{ port: 80, name: "web" }],
        },
      }),
    );
    await k.apply({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "web" },
      spec: {
        serviceName: "nginx",
        replicas: 2,
        selector: { matchLabels: { app: "nginx-sts" } },
        template: {
          metadata: { labels: { app: "nginx-sts" } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: "nginx",
                image: "nginx:1.9.1",
                ports: [{ containerPort: 80, name: "web" }],
                volumeMounts: [{ name: "www", mountPath: "/usr/share/nginx/html" }],
                readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "www" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    // web-1 is created only once web-0 is Running and Ready.
    const order = await until(
      "web-0 and web-1 Ready",
      async () => {
        const ps = await pods("app=nginx-sts");
        const web0 = ps.find((p) => p.metadata?.name === "web-0");
        const web1 = ps.find((p) => p.metadata?.name === "web-1");
        if (web1 && !(web0 && isAvailable(web0)))
          throw new Error("web-1 exists before web-0 is Ready");
        return web0 && web1 && isAvailable(web0) && isAvailable(web1) ? [web0, web1] : undefined;
      },
      120_000,
    );
    assert.ok(
      Date.parse(order[1]?.metadata?.creationTimestamp ?? "") >=
        Date.parse(order[0]?.metadata?.creationTimestamp ?? ""),
    );
    for (const name of ["web-0", "web-1"]) {
      assert.equal((await kubectl(["exec", name, "--", "hostname"])).trim(), name);
      await kubectl([
        "exec",
        name,
        "--",
        "sh",
        "-c",
        `echo hello ${name} > /usr/share/nginx/html/index.html`,
      ]);
    }
    const claims = JSON.parse(await kubectl(["get", "pvc", "-o", "json"])).items.map(
      (c: { metadata: { name: string; uid: string }; status: { phase: string } }) => [
        c.metadata.name,
        c.metadata.uid,
        c.status.phase,
      ],
    );
    assert.deepEqual(claims.map((c: string[]) => [c[0], c[2]]).sort(), [
      ["www-web-0", "Bound"],
      ["www-web-1", "Bound"],
    ]);

    await kubectl(["delete", "pod", "web-0", "web-1", "--wait=true", "--timeout=60s"]);
    const back = await until(
      "both back and Ready",
      async () => {
        const ps = (await pods("app=nginx-sts")).filter((p) => !p.metadata?.deletionTimestamp);
        return ps.length === 2 && ps.every(isAvailable) ? ps : undefined;
      },
      120_000,
    );
    for (const p of back) {
      const body = await httpGet(`http://${p.status?.podIP}/`);
      assert.equal(
        body?.trim(),
        `hello ${p.metadata?.name}`,
        "the same volume, with the file written before",
      );
    }
    const after = JSON.parse(await kubectl(["get", "pvc", "-o", "json"])).items.map(
      (c: { metadata: { name: string; uid: string } }) => [c.metadata.name, c.metadata.uid],
    );
    assert.deepEqual(
      after.sort(),
      claims.map((c: string[]) => [c[0], c[1]]).sort(),
      "the same claims",
    );
    await kubectl(["delete", "statefulset", "web", "--wait=true", "--timeout=60s"]);
    await until(
      "pods gone",
      async () => ((await pods("app=nginx-sts")).length === 0 ? true : undefined),
      60_000,
    );
  });
});
