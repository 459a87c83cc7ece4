// System suite: the kubelet over the fake runtime (a hollow node) against a
// real API server, observed with the real kubectl. The fake runtime lets the
// test decide when containers exit, so the lifecycle is deterministic.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { FakeImageService, FakeRuntimeService } from "../../src/runtime/fake/index.js";
import { type KubeletHarness, startKubelet, until } from "./harness.js";

const POD_UID = "io.kubernetes.pod.uid";
const CONTAINER_NAME = "io.kubernetes.container.name";

function podYaml(name: string, spec: Record<string, unknown>, nodeName = "node-1"): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: name } },
    spec: { nodeName, terminationGracePeriodSeconds: 1, ...spec },
  });
}

describe("kubelet over the fake runtime", () => {
  let h: KubeletHarness;
  let runtime: FakeRuntimeService;

  const containersOf = async (uid: string, name?: string) =>
    runtime.listContainers({
      labelSelector: { [POD_UID]: uid, ...(name ? { [CONTAINER_NAME]: name } : {}) },
    });
  const uidOf = async (name: string) => (await h.getPod(name))?.metadata?.uid ?? "";
  const running = async (uid: string, name: string) =>
    (await containersOf(uid, name)).find((c) => c.state === "CONTAINER_RUNNING");
  const column = async (name: string, col: number) =>
    (await h.kubectl(["get", "pod", name, "--no-headers"])).trim().split(/\s+/)[col];

  before(async () => {
    const images = new FakeImageService();
    runtime = new FakeRuntimeService({ images });
    h = await startKubelet({ runtime, images, runtimeName: "fake" });
  });
  after(async () => {
    await h?.stop();
  });

  it("registers a Ready node with capacity, nodeInfo and labels, and renews its Lease", async () => {
    const node = JSON.parse(await h.kubectl(["get", "node", "node-1", "-o", "json"]));
    assert.equal(node.metadata.labels["kubernetes.io/hostname"], "node-1");
    assert.equal(node.metadata.labels["kubernetes.io/os"], "linux");
    assert.equal(node.status.capacity.pods, "110");
    assert.ok(Number(node.status.capacity.cpu) >= 1);
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.equal(node.status.nodeInfo.containerRuntimeVersion, "fake://test");
    assert.deepEqual(
      node.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
      ["MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True"],
    );
    assert.ok(node.status.addresses.some((a: { type: string }) => a.type === "InternalIP"));
    const table = await h.kubectl(["get", "nodes", "--no-headers"]);
    assert.match(table, /^node-1\s+Ready\s+<none>\s+\S+\s+v1\.\d+/);
    const lease = JSON.parse(
      await h.kubectl(["get", "lease", "node-1", "-n", "kube-node-lease", "-o", "json"]),
    );
    assert.equal(lease.spec.holderIdentity, "node-1");
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.equal(lease.metadata.ownerReferences[0].kind, "Node");
  });

  it("runs init containers one after another, then the app containers; READY and phase follow", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("init-demo", {
        initContainers: [
          { name: "init-a", image: "busybox:1.36" },
          { name: "init-b", image: "busybox:1.36" },
        ],
        containers: [{ name: "app", image: "nginx:1.25" }],
      }),
    );
    const uid = await until("pod uid", () => uidOf("init-demo"));
    const a = await until("init-a running", () => running(uid, "init-a"));
    assert.equal(await column("init-demo", 2), "Init:0/2");
    assert.equal((await containersOf(uid, "init-b")).length, 0, "init-b waits for init-a");
    runtime.exit(a.id, 0);
    const b = await until("init-b running", () => running(uid, "init-b"));
    assert.equal((await containersOf(uid, "app")).length, 0, "app waits for init-b");
    await until("Init:1/2", async () => (await column("init-demo", 2)) === "Init:1/2");
    runtime.exit(b.id, 0);
    await until("app running", () => running(uid, "app"));
    await until("Running 1/1", async () => {
      const out = await h.kubectl(["get", "pod", "init-demo", "--no-headers"]);
      return /\s1\/1\s+Running\s+0\s/.test(out);
    });
    const pod = await h.getPod("init-demo");
    const conds = Object.fromEntries(
      (pod?.status?.conditions ?? []).map((c) => [c.type, c.status]),
    );
    assert.deepEqual(
      {
        init: conds.Initialized,
        ready: conds.Ready,
        cready: conds.ContainersReady,
        sb: conds.PodReadyToStartContainers,
      },
      { init: "True", ready: "True", cready: "True", sb: "True" },
    );
    assert.equal(pod?.status?.phase, "Running");
    assert.equal(pod?.status?.qosClass, "BestEffort");
    assert.match(pod?.status?.podIP ?? "", /^10\.88\./);
    assert.equal(pod?.status?.hostIP, "127.0.0.1");
    assert.equal(pod?.status?.initContainerStatuses?.[0]?.state?.terminated?.reason, "Completed");
    assert.match(pod?.status?.containerStatuses?.[0]?.containerID ?? "", /^fake:\/\//);
  });

  it("restartPolicy Never with a failing container ends Failed, and the sandbox is stopped", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("never-fails", {
        restartPolicy: "Never",
        containers: [{ name: "c", image: "busybox:1.36" }],
      }),
    );
    const uid = await until("uid", () => uidOf("never-fails"));
    const c = await until("running", () => running(uid, "c"));
    runtime.exit(c.id, 3);
    await until("Failed", async () => (await h.getPod("never-fails"))?.status?.phase === "Failed");
    assert.equal(await column("never-fails", 2), "Error");
    const pod = await h.getPod("never-fails");
    assert.equal(pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    await until("sandbox stopped", async () =>
      (await runtime.listPodSandbox({ labelSelector: { [POD_UID]: uid } })).every(
        (s) => s.state === "SANDBOX_NOTREADY",
      ),
    );
    assert.equal((await containersOf(uid, "c")).length, 1, "never restarted");
  });

  it("restartPolicy OnFailure restarts a failed container and counts restarts, then Succeeded", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("on-failure", {
        restartPolicy: "OnFailure",
        containers: [{ name: "c", image: "busybox:1.36" }],
      }),
    );
    const uid = await until("uid", () => uidOf("on-failure"));
    const first = await until("running", () => running(uid, "c"));
    runtime.exit(first.id, 1);
    const second = await until("restarted", async () => {
      const r = await running(uid, "c");
      return r && r.id !== first.id ? r : undefined;
    });
    await until("RESTARTS 1", async () => (await column("on-failure", 3)) === "1");
    const pod = await h.getPod("on-failure");
    assert.equal(pod?.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
    runtime.exit(second.id, 0);
    await until(
      "Succeeded",
      async () => (await h.getPod("on-failure"))?.status?.phase === "Succeeded",
    );
    assert.equal(await column("on-failure", 2), "Completed");
  });

  it("an ephemeral container added with kubectl debug runs once, even under restartPolicy Always", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("debugged", { containers: [{ name: "c", image: "busybox:1.36" }] }),
    );
    const uid = await until("uid", () => uidOf("debugged"));
    await until("app running", () => running(uid, "c"));
    await h.kubectl(["debug", "debugged", "--image=busybox:1.36", "--container=dbg", "--", "true"]);
    const dbg = await until("dbg running", () => running(uid, "dbg"));
    runtime.exit(dbg.id, 1);
    const status = await until("dbg terminated in status", async () => {
      const st = (await h.getPod("debugged"))?.status?.ephemeralContainerStatuses?.[0];
      return st?.state?.terminated ? st : undefined;
    });
    assert.equal(status.state?.terminated?.exitCode, 1);
    assert.equal(status.restartCount, 0);
    assert.equal((await containersOf(uid, "dbg")).length, 1, "never restarted");
    assert.equal(await column("debugged", 1), "1/1");
    assert.equal(await column("debugged", 2), "Running");
  });

  it("restartPolicy Always backs off a crashing container (CrashLoopBackOff)", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("crasher", { containers: [{ name: "c", image: "busybox:1.36" }] }),
    );
    const uid = await until("uid", () => uidOf("crasher"));
    const first = await until("running", () => running(uid, "c"));
    runtime.exit(first.id, 2);
    const second = await until("restarted at once", async () => {
      const r = await running(uid, "c");
      return r && r.id !== first.id ? r : undefined;
    });
    runtime.exit(second.id, 2);
    await until(
      "CrashLoopBackOff",
      async () => (await column("crasher", 2)) === "CrashLoopBackOff",
    );
    const pod = await h.getPod("crasher");
    const st = pod?.status?.containerStatuses?.[0];
    assert.match(
      st?.state?.waiting?.message ?? "",
      /^back-off 10s restarting failed container=c pod=crasher_default\(/,
    );
    assert.equal(st?.lastState?.terminated?.exitCode, 2);
    assert.equal(pod?.status?.phase, "Running");
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=crasher",
      "-o",
      "json",
    ]);
    assert.ok(JSON.parse(events).items.some((e: { reason: string }) => e.reason === "BackOff"));
  });

  it("graceful deletion stops the containers, then the kubelet removes the Pod object", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("doomed", { containers: [{ name: "c", image: "busybox:1.36" }] }),
    );
    const uid = await until("uid", () => uidOf("doomed"));
    await until("running", () => running(uid, "c"));
    await h.kubectl(["delete", "pod", "doomed", "--wait=true", "--timeout=30s"]);
    assert.equal(await h.getPod("doomed"), undefined);
    await until(
      "runtime emptied",
      async () =>
        (await containersOf(uid)).length === 0 &&
        (await runtime.listPodSandbox({ labelSelector: { [POD_UID]: uid } })).length === 0,
    );
  });

  it("a static pod manifest becomes a mirror pod; removing the file stops it", async () => {
    const file = join(h.manifests, "static-web.yaml");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\n  namespace: kube-system\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n",
    );
    const mirror = await until("mirror pod", async () => {
      const p = await h.getPod("static-web-node-1", "kube-system");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    assert.ok(mirror.metadata?.annotations?.["kubernetes.io/config.mirror"]);
    assert.equal(mirror.metadata?.annotations?.["kubernetes.io/config.source"], "file");
    assert.equal(mirror.metadata?.ownerReferences?.[0]?.kind, "Node");
    const all = await h.kubectl(["get", "pods", "-A", "--no-headers"]);
    assert.match(all, /kube-system\s+static-web-node-1\s+1\/1\s+Running/);
    const staticUid = mirror.metadata?.annotations?.["kubernetes.io/config.hash"] ?? "";
    assert.ok((await running(staticUid, "web")) !== undefined, "runs under the static pod's uid");
    // Deleting the mirror does not stop the static pod: the kubelet recreates it.
    await h.kubectl(["delete", "pod", "static-web-node-1", "-n", "kube-system", "--wait=false"]);
    await until("mirror recreated", async () => {
      const p = await h.getPod("static-web-node-1", "kube-system");
      return p && p.metadata?.uid !== mirror.metadata?.uid && !p.metadata?.deletionTimestamp;
    });
    rmSync(file);
    await until(
      "mirror gone",
      async () => (await h.getPod("static-web-node-1", "kube-system")) === undefined,
    );
    await until("static pod stopped", async () => (await containersOf(staticUid)).length === 0);
  });

  it("serves /metrics and /stats/summary to clients with a cluster certificate, 401 to others", async () => {
    const config = loadKubeconfig({ path: h.kubeconfig });
    const get = (path: string, withCert: boolean) =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        const req = https.request(
          {
            host: "127.0.0.1",
            port: h.kubelet.port,
            path,
            rejectUnauthorized: false,
            ...(withCert && config.cert && config.key
              ? { cert: config.cert, key: config.key }
              : {}),
          },
          (res) => {
            let body = "";
            res.on("data", (d: Buffer) => {
              body += d.toString();
            });
            res.on("end", () => resolve({ code: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end();
      });
    assert.equal((await get("/healthz", false)).body, "ok");
    assert.equal((await get("/metrics", false)).code, 401);
    const metrics = await get("/metrics", true);
    assert.equal(metrics.code, 200);
    const running = Number(/^kubelet_running_pods (\d+)$/m.exec(metrics.body)?.[1]);
    assert.ok(running >= 1, metrics.body.slice(0, 500));
    assert.match(metrics.body, /^kubelet_pod_start_duration_seconds_count [1-9]\d*$/m);
    assert.match(metrics.body, /^kubelet_node_name\{node="node-1"\} 1$/m);
    const summary = JSON.parse((await get("/stats/summary", true)).body);
    assert.equal(summary.node.nodeName, "node-1");
    assert.ok(summary.node.memory.availableBytes > 0);
    const initDemo = summary.pods.find(
      (p: { podRef: { name: string } }) => p.podRef.name === "init-demo",
    );
    // Exited containers (the finished init containers) are left out, as upstream's kubelet does.
    assert.deepEqual(
      initDemo?.containers.map((c: { name: string }) => c.name),
      ["app"],
    );
    assert.ok(initDemo?.containers[0]?.startTime, "containers carry their start time");
    const pods = JSON.parse((await get("/pods", true)).body);
    assert.equal(pods.kind, "PodList");
    assert.ok(
      pods.items.some((p: { metadata: { name: string } }) => p.metadata.name === "init-demo"),
    );
  });

  it("runs a command through /run, reached by the API server's nodes/proxy", async () => {
    const previous = runtime.execHandler;
    runtime.execHandler = (_id, cmd) => ({
      stdout: Buffer.from(`ran ${cmd.join("|")}\n`),
      stderr: Buffer.from(cmd[0] === "false" ? "it failed\n" : ""),
      exitCode: cmd[0] === "false" ? 1 : 0,
    });
    try {
      const path = "/api/v1/nodes/node-1/proxy/run/default/init-demo/app";
      const ok = await h.kubectlRaw(
        ["create", "--raw", `${path}?cmd=echo%20hello%20world`, "-f", "-"],
        "",
      );
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, "ran echo|hello|world\n");
      const failed = await h.kubectlRaw(["create", "--raw", `${path}?cmd=false`, "-f", "-"], "");
      assert.notEqual(failed.code, 0);
      assert.match(failed.stderr, /command 'false' exited with 1: ran false\\nit failed/);
      const missing = await h.kubectlRaw(
        ["create", "--raw", "/api/v1/nodes/node-1/proxy/run/default/nope/app?cmd=true", "-f", "-"],
        "",
      );
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /NotFound/);
    } finally {
      runtime.execHandler = previous;
    }
  });

  it("a restarted kubelet adopts running containers instead of restarting them", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      podYaml("survivor", { containers: [{ name: "c", image: "busybox:1.36" }] }),
    );
    const uid = await until("uid", () => uidOf("survivor"));
    const before = await until("running", () => running(uid, "c"));
    await until("Running", async () => (await h.getPod("survivor"))?.status?.phase === "Running");
    await h.restart();
    await new Promise((r) => setTimeout(r, 1500));
    const now = await containersOf(uid, "c");
    assert.deepEqual(
      now.map((c) => [c.id, c.state]),
      [[before.id, "CONTAINER_RUNNING"]],
    );
    const pod = await h.getPod("survivor");
    assert.equal(pod?.status?.containerStatuses?.[0]?.restartCount, 0);
  });
});
