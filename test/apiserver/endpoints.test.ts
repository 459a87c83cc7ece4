// The API server over HTTPS without kubectl: authentication, health, metrics,
// subresources and Status bodies, checked on the wire.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type AdminTls, adminTls, apiCall, type CallOptions } from "../support/api-call.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { tempDir } from "../support/tmp.js";

describe("API server endpoints", () => {
  let server: TestApiServer;
  const files = tempDir("endpoints");
  let tls: AdminTls;

  const call = (method: string, path: string, opts: CallOptions = {}) =>
    apiCall({ port: server.port, tls }, method, path, opts);

  before(async () => {
    const tokens = join(files.path, "tokens.csv");
    writeFileSync(tokens, 'secret-token,alice,1001,"dev,ops"\n');
    server = await startTestApiServer({ tokenAuthFile: tokens });
    tls = adminTls(server.adminKubeconfig);
  });
  after(async () => {
    await server?.stop();
    files.remove();
  });

  it("answers anonymous requests with 401 except health and version", async () => {
    const r = await call("GET", "/api/v1/namespaces", { auth: "none" });
    assert.equal(r.status, 401);
    assert.equal(r.json().reason, "Unauthorized");
    assert.equal((await call("GET", "/healthz", { auth: "none" })).text, "ok");
    assert.equal((await call("GET", "/version", { auth: "none" })).json().gitVersion, "v1.32.0");
    const verbose = await call("GET", "/readyz?verbose", { auth: "none" });
    assert.match(verbose.text, /^\[\+\]ping ok$/m);
    assert.match(verbose.text, /^readyz check passed$/m);
  });

  it("accepts bearer tokens from the token file and refuses unknown ones", async () => {
    // Authenticated, alice may do only what RBAC grants her (her group "dev" here).
    const denied = await call("GET", "/api/v1/namespaces", { auth: "secret-token" });
    assert.equal(denied.status, 403);
    assert.equal(
      denied.json().message,
      'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    const rbac = "/apis/rbac.authorization.k8s.io/v1";
    const role = await call("POST", `${rbac}/clusterroles`, {
      body: {
        metadata: { name: "namespace-lister" },
        rules: [{ verbs: ["list"], apiGroups: [""], resources: ["namespaces"] }],
      },
    });
    assert.equal(role.status, 201, role.text);
    const binding = await call("POST", `${rbac}/clusterrolebindings`, {
      body: {
        metadata: { name: "dev-lists-namespaces" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "namespace-lister",
        },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "dev" }],
      },
    });
    assert.equal(binding.status, 201, binding.text);
    // The authorizer follows the store through a watch: the binding applies within moments.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await call("GET", "/api/v1/namespaces", { auth: "secret-token" })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 200);
    assert.equal((await call("GET", "/api/v1/namespaces", { auth: "wrong" })).status, 401);
  });

  it("exposes request metrics in the Prometheus format", async () => {
    await call("GET", "/api/v1/namespaces/default/configmaps");
    const m = await call("GET", "/metrics");
    assert.match(
      m.text,
      /apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="configmaps"[^}]*code="200"\} \d+/,
    );
    assert.match(m.text, /apiserver_request_duration_seconds_bucket\{/);
  });

  it("words NotFound and AlreadyExists like upstream", async () => {
    const nf = await call("GET", "/apis/apps/v1/namespaces/default/deployments/nope");
    assert.deepEqual(nf.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'deployments.apps "nope" not found',
      reason: "NotFound",
      details: { name: "nope", group: "apps", kind: "deployments" },
      code: 404,
    });
    const cm = { metadata: { name: "twice" } };
    assert.equal(
      (await call("POST", "/api/v1/namespaces/default/configmaps", { body: cm })).status,
      201,
    );
    const again = await call("POST", "/api/v1/namespaces/default/configmaps", { body: cm });
    assert.equal(again.status, 409);
    assert.equal(again.json().message, 'configmaps "twice" already exists');
  });

  it("refuses a Service asking for the kubernetes Service's IP or a malformed one", async () => {
    const svc = (clusterIP: string) => ({
      metadata: { name: "clash" },
      spec: { clusterIP, ports: [{ port: 80 }], selector: { app: "x" } },
    });
    const taken = await call("POST", "/api/v1/namespaces/default/services", {
      body: svc("10.43.0.1"),
    });
    assert.equal(taken.status, 422, taken.text);
    assert.match(
      String(taken.json().message),
      /failed to allocate IP 10\.43\.0\.1: provided IP is already allocated/,
    );
    const bad = await call("POST", "/api/v1/namespaces/default/services", { body: svc("foo") });
    assert.equal(bad.status, 422, bad.text);
    assert.match(String(bad.json().message), /spec\.clusterIPs\[0\]: Invalid value: "foo"/);
  });

  it("refuses creates in a namespace that does not exist", async () => {
    const r = await call("POST", "/api/v1/namespaces/ghost/configmaps", {
      body: { metadata: { name: "x" } },
    });
    assert.equal(r.status, 404);
    assert.equal(r.json().message, 'namespaces "ghost" not found');
  });

  it("binds a pod to a node once", async () => {
    const pod = {
      metadata: { name: "bindme" },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    };
    const created = await call("POST", "/api/v1/namespaces/default/pods", { body: pod });
    assert.equal(created.status, 201, created.text);
    assert.equal((created.json().status as { phase: string }).phase, "Pending");
    const binding = { metadata: { name: "bindme" }, target: { kind: "Node", name: "node-a" } };
    const b = await call("POST", "/api/v1/namespaces/default/pods/bindme/binding", {
      body: binding,
    });
    assert.equal(b.status, 201, b.text);
    const got = (await call("GET", "/api/v1/namespaces/default/pods/bindme")).json();
    assert.equal((got.spec as { nodeName: string }).nodeName, "node-a");
    const again = await call("POST", "/api/v1/namespaces/default/pods/bindme/binding", {
      body: { ...binding, target: { kind: "Node", name: "node-b" } },
    });
    assert.equal(again.status, 409);
    assert.match(String(again.json().message), /is already assigned to node "node-a"/);
  });

  it("keeps a pod on a node in Terminating until a zero grace period delete", async () => {
    const del = await call("DELETE", "/api/v1/namespaces/default/pods/bindme");
    assert.equal(del.status, 200, del.text);
    const meta = del.json().metadata as {
      deletionTimestamp?: string;
      deletionGracePeriodSeconds?: number;
    };
    assert.ok(meta.deletionTimestamp);
    assert.equal(meta.deletionGracePeriodSeconds, 30);
    const again = await call("DELETE", "/api/v1/namespaces/default/pods/bindme");
    assert.equal(
      (again.json().metadata as { resourceVersion: string }).resourceVersion,
      (del.json().metadata as { resourceVersion: string }).resourceVersion,
      "a repeated delete writes nothing",
    );
    const force = await call("DELETE", "/api/v1/namespaces/default/pods/bindme", {
      body: { gracePeriodSeconds: 0 },
    });
    assert.equal(force.status, 200, force.text);
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/bindme")).status, 404);
  });

  it("refuses an eviction a PodDisruptionBudget does not allow", async () => {
    const pod = {
      metadata: { name: "guarded", labels: { app: "db" } },
      spec: { nodeName: "node-a", containers: [{ name: "c", image: "busybox" }] },
    };
    assert.equal(
      (await call("POST", "/api/v1/namespaces/default/pods", { body: pod })).status,
      201,
    );
    await call("PATCH", "/api/v1/namespaces/default/pods/guarded/status", {
      contentType: "application/merge-patch+json",
      body: { status: { phase: "Running" } },
    });
    const pdb = {
      metadata: { name: "db" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "db" } } },
    };
    assert.equal(
      (await call("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", { body: pdb }))
        .status,
      201,
    );
    const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "guarded" } };
    const r = await call("POST", "/api/v1/namespaces/default/pods/guarded/eviction", {
      body: eviction,
    });
    assert.equal(r.status, 429, r.text);
    await call("PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db/status", {
      contentType: "application/merge-patch+json",
      body: {
        status: {
          disruptionsAllowed: 1,
          observedGeneration: 1,
          currentHealthy: 1,
          desiredHealthy: 1,
          expectedPods: 1,
        },
      },
    });
    const ok = await call("POST", "/api/v1/namespaces/default/pods/guarded/eviction", {
      body: eviction,
    });
    assert.equal(ok.status, 201, ok.text);
    const spent = (
      await call("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db")
    ).json();
    const status = spent.status as {
      disruptionsAllowed: number;
      disruptedPods: Record<string, string>;
    };
    assert.equal(status.disruptionsAllowed, 0, "the eviction spent the budget");
    assert.ok(status.disruptedPods.guarded);
  });

  it("holds a deleted namespace in Terminating until it is finalized", async () => {
    assert.equal(
      (await call("POST", "/api/v1/namespaces", { body: { metadata: { name: "doomed" } } })).status,
      201,
    );
    const del = await call("DELETE", "/api/v1/namespaces/doomed");
    assert.equal(del.status, 200);
    const ns = (await call("GET", "/api/v1/namespaces/doomed")).json();
    assert.equal((ns.status as { phase: string }).phase, "Terminating");
    const refused = await call("POST", "/api/v1/namespaces/doomed/configmaps", {
      body: { metadata: { name: "late" } },
    });
    assert.equal(refused.status, 403);
    assert.match(String(refused.json().message), /because it is being terminated/);
    const fin = await call("PUT", "/api/v1/namespaces/doomed/finalize", {
      body: { ...ns, spec: { finalizers: [] } },
    });
    assert.equal(fin.status, 200, fin.text);
    assert.equal((await call("GET", "/api/v1/namespaces/doomed")).status, 404);
  });

  it("applies LimitRange defaults to pods and refuses pods over its maximum", async () => {
    assert.equal(
      (await call("POST", "/api/v1/namespaces", { body: { metadata: { name: "limited" } } }))
        .status,
      201,
    );
    const lr = {
      metadata: { name: "cpu" },
      spec: { limits: [{ type: "Container", default: { cpu: "500m" }, max: { cpu: "1" } }] },
    };
    assert.equal(
      (await call("POST", "/api/v1/namespaces/limited/limitranges", { body: lr })).status,
      201,
    );
    const pod = (name: string, limits?: Record<string, string>) => ({
      metadata: { name },
      spec: {
        containers: [{ name: "c", image: "busybox", ...(limits ? { resources: { limits } } : {}) }],
      },
    });
    const ok = await call("POST", "/api/v1/namespaces/limited/pods", { body: pod("defaulted") });
    assert.equal(ok.status, 201, ok.text);
    const created = ok.json() as {
      metadata: { annotations: Record<string, string> };
      spec: { containers: Array<{ resources: unknown }> };
      status: { qosClass: string };
    };
    assert.deepEqual(created.spec.containers[0]?.resources, {
      limits: { cpu: "500m" },
      requests: { cpu: "500m" },
    });
    assert.equal(
      created.metadata.annotations["kubernetes.io/limit-ranger"],
      "LimitRanger plugin set: cpu request for container c; cpu limit for container c",
    );
    assert.equal(created.status.qosClass, "Burstable");
    const big = await call("POST", "/api/v1/namespaces/limited/pods", {
      body: pod("big", { cpu: "2" }),
    });
    assert.equal(big.status, 403);
    assert.equal(
      big.json().message,
      'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
  });

  it("enforces LimitRange ratios for containers and sizes for claims", async () => {
    assert.equal(
      (await call("POST", "/api/v1/namespaces", { body: { metadata: { name: "ratio" } } })).status,
      201,
    );
    const lr = {
      metadata: { name: "r" },
      spec: {
        limits: [
          { type: "Container", maxLimitRequestRatio: { cpu: "2" } },
          { type: "PersistentVolumeClaim", max: { storage: "1Gi" } },
        ],
      },
    };
    assert.equal(
      (await call("POST", "/api/v1/namespaces/ratio/limitranges", { body: lr })).status,
      201,
    );
    const pod = {
      metadata: { name: "spiky" },
      spec: {
        containers: [
          {
            name: "c",
            image: "busybox",
            resources: { requests: { cpu: "100m" }, limits: { cpu: "500m" } },
          },
        ],
      },
    };
    const r = await call("POST", "/api/v1/namespaces/ratio/pods", { body: pod });
    assert.equal(r.status, 403);
    assert.equal(
      r.json().message,
      'pods "spiky" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000',
    );
    const pvc = {
      metadata: { name: "big" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } },
    };
    const c = await call("POST", "/api/v1/namespaces/ratio/persistentvolumeclaims", { body: pvc });
    assert.equal(c.status, 403);
    assert.equal(
      c.json().message,
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi',
    );
  });

  it("refuses creates past a ResourceQuota's hard limits", async () => {
    assert.equal(
      (await call("POST", "/api/v1/namespaces", { body: { metadata: { name: "quota" } } })).status,
      201,
    );
    const rq = {
      metadata: { name: "small" },
      spec: { hard: { configmaps: "1", pods: "1", "requests.cpu": "1" } },
    };
    assert.equal(
      (await call("POST", "/api/v1/namespaces/quota/resourcequotas", { body: rq })).status,
      201,
    );
    const cm = (name: string) => ({ metadata: { name } });
    assert.equal(
      (await call("POST", "/api/v1/namespaces/quota/configmaps", { body: cm("one") })).status,
      201,
    );
    const second = await call("POST", "/api/v1/namespaces/quota/configmaps", { body: cm("two") });
    assert.equal(second.status, 403);
    assert.equal(
      second.json().message,
      'configmaps "two" is forbidden: exceeded quota: small, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
    const pod = (name: string, cpu: string) => ({
      metadata: { name },
      spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu } } }] },
    });
    const tooBig = await call("POST", "/api/v1/namespaces/quota/pods", {
      body: pod("big", "1500m"),
    });
    assert.equal(tooBig.status, 403);
    assert.match(
      String(tooBig.json().message),
      /exceeded quota: small, requested: requests\.cpu=1500m, used: requests\.cpu=0, limited: requests\.cpu=1$/,
    );
    assert.equal(
      (await call("POST", "/api/v1/namespaces/quota/pods", { body: pod("fits", "500m") })).status,
      201,
    );
    const third = await call("POST", "/api/v1/namespaces/quota/pods", {
      body: pod("more", "100m"),
    });
    assert.equal(third.status, 403);
    assert.match(String(third.json().message), /requested: pods=1, used: pods=1, limited: pods=1/);
  });

  it("serves events.k8s.io/v1 Events and core v1 Events as one resource", async () => {
    const ev = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "e1" },
      eventTime: "2026-11-22T04:00:00.000000Z",
      reportingController: "k8ts/test",
      reportingInstance: "test-1",
      action: "Testing",
      reason: "Tested",
      type: "Normal",
      note: "hello",
      regarding: { kind: "Pod", namespace: "default", name: "p" },
    };
    const created = await call("POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      body: ev,
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().note, "hello");
    const core = (await call("GET", "/api/v1/namespaces/default/events/e1")).json();
    assert.equal(core.apiVersion, "v1");
    assert.equal(core.message, "hello");
    assert.deepEqual(core.involvedObject, { kind: "Pod", namespace: "default", name: "p" });
    assert.equal(core.reportingComponent, "k8ts/test");
    const list = (await call("GET", "/apis/events.k8s.io/v1/namespaces/default/events")).json();
    assert.equal(list.kind, "EventList");
    assert.equal(list.apiVersion, "events.k8s.io/v1");
  });

  it("converts autoscaling/v1 HorizontalPodAutoscalers to and from autoscaling/v2", async () => {
    const hpa = {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 60,
      },
    };
    const created = await call(
      "POST",
      "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
      { body: hpa },
    );
    assert.equal(created.status, 201, created.text);
    assert.equal(
      (created.json().spec as { targetCPUUtilizationPercentage: number })
        .targetCPUUtilizationPercentage,
      60,
    );
    const v2 = (
      await call("GET", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")
    ).json();
    assert.deepEqual((v2.spec as { metrics: unknown }).metrics, [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } },
      },
    ]);
    const patched = await call(
      "PATCH",
      "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web",
      {
        contentType: "application/merge-patch+json",
        body: { spec: { targetCPUUtilizationPercentage: 75 } },
      },
    );
    assert.equal(patched.status, 200, patched.text);
    const again = (
      await call("GET", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")
    ).json();
    const metrics = (
      again.spec as { metrics: Array<{ resource: { target: { averageUtilization: number } } }> }
    ).metrics;
    assert.equal(metrics[0]?.resource.target.averageUtilization, 75);
  });

  it("ends a watch from a compacted revision with a 410 ERROR event", async () => {
    const first = await call("POST", "/api/v1/namespaces/default/configmaps", {
      body: { metadata: { name: "old" } },
    });
    const oldRv = (first.json().metadata as { resourceVersion: string }).resourceVersion;
    await call("POST", "/api/v1/namespaces/default/configmaps", {
      body: { metadata: { name: "newer" } },
    });
    await server.store.compact(await server.store.currentRevision());
    const w = await call(
      "GET",
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${oldRv}`,
    );
    assert.equal(w.status, 200);
    const ev = JSON.parse(w.text.trim().split("\n")[0] as string);
    assert.equal(ev.type, "ERROR");
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, "Expired");
  });
});
