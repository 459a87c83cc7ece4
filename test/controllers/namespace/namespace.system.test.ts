// System suite: the namespace controller (with the service account
// controller filling namespaces as in a cluster) against a real API
// server, driven and observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Namespace } from "kubernetes-types/core/v1.js";
import { DeploymentController } from "../../../src/controllers/deployment/controller.js";
import { NamespaceController } from "../../../src/controllers/namespace/controller.js";
import { ReplicaSetController } from "../../../src/controllers/replicaset/controller.js";
import { ServiceAccountController } from "../../../src/controllers/serviceaccount/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const manifests = (ns: string) =>
  [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, stringData: { t: "x" } },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "nginx" }] },
        },
      },
    },
    ...["web-1", "web-2"].map((name) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "nginx" }] },
    })),
  ].map((m) => JSON.stringify({ ...m, metadata: { ...m.metadata, namespace: ns } }));

describe("namespace controller", () => {
  let h: ControllerHarness;
  const namespace = async (name: string): Promise<Namespace | undefined> => {
    const r = await h.kubectlRaw(["get", "namespace", name, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as Namespace) : undefined;
  };
  const condition = (ns: Namespace | undefined, type: string) =>
    ns?.status?.conditions?.find((c) => c.type === type);

  before(async () => {
    h = await startControllers((ctx) => [
      new NamespaceController(ctx),
      new ServiceAccountController(ctx),
      new DeploymentController(ctx),
      new ReplicaSetController(ctx),
    ]);
  });
  after(async () => {
    await h?.stop();
  });

  it("kubectl delete namespace empties it and waits until it is gone", async () => {
    await h.kubectl(["create", "namespace", "doomed"]);
    for (const m of manifests("doomed")) await h.kubectl(["create", "-f", "-"], m);
    await until(
      "default service account",
      async () =>
        (await h.kubectlRaw(["get", "serviceaccount", "default", "-n", "doomed"])).code === 0,
    );
    // The Deployment's controllers are running: its ReplicaSet and pods exist too.
    await until("the Deployment's ReplicaSet", async () =>
      (await h.kubectl(["get", "rs", "-n", "doomed", "-o", "name"])).trim() ? true : undefined,
    );

    const result = await h.kubectlRaw(["delete", "namespace", "doomed"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /namespace "doomed" deleted/);
    assert.equal(await namespace("doomed"), undefined);
    // Nothing of it is left in storage either.
    for (const path of [
      "/api/v1/namespaces/doomed/configmaps",
      "/api/v1/namespaces/doomed/secrets",
      "/api/v1/namespaces/doomed/services",
      "/api/v1/namespaces/doomed/persistentvolumeclaims",
      "/api/v1/namespaces/doomed/pods",
      "/apis/apps/v1/namespaces/doomed/deployments",
      "/apis/apps/v1/namespaces/doomed/replicasets",
      "/api/v1/namespaces/doomed/serviceaccounts",
    ]) {
      const list = await h.rest.request<{ items: unknown[] }>({ method: "GET", path });
      assert.equal(list.items.length, 0, `${path} is empty`);
    }
  });

  it("reports content held by finalizers and finishes once they are removed", async () => {
    await h.kubectl(["create", "namespace", "held"]);
    await h.kubectl(
      ["create", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "pinned", namespace: "held", finalizers: ["example.com/hold"] },
      }),
    );
    await h.kubectl(["create", "configmap", "loose", "-n", "held"]);
    await h.kubectl(["delete", "namespace", "held", "--wait=false"]);

    const ns = await until("conditions about the held content", async () => {
      const n = await namespace("held");
      return condition(n, "NamespaceFinalizersRemaining")?.status === "True" ? n : undefined;
    });
    assert.equal(ns.status?.phase, "Terminating");
    assert.deepEqual(ns.spec?.finalizers, ["kubernetes"]);
    assert.deepEqual(pick(condition(ns, "NamespaceContentRemaining")), [
      "True",
      "SomeResourcesRemain",
      "Some resources are remaining: configmaps. has 1 resource instances",
    ]);
    assert.deepEqual(pick(condition(ns, "NamespaceFinalizersRemaining")), [
      "True",
      "SomeFinalizersRemain",
      "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances",
    ]);
    assert.deepEqual(pick(condition(ns, "NamespaceDeletionDiscoveryFailure")), [
      "False",
      "ResourcesDiscovered",
      "All resources successfully discovered",
    ]);
    assert.deepEqual(pick(condition(ns, "NamespaceDeletionContentFailure")), [
      "False",
      "ContentDeleted",
      "All content successfully deleted, may be waiting on finalization",
    ]);
    // Content without finalizers went at once; the pinned one waits.
    assert.equal((await h.kubectlRaw(["get", "configmap", "loose", "-n", "held"])).code, 1);

    await h.kubectl([
      "patch",
      "configmap",
      "pinned",
      "-n",
      "held",
      "--type=merge",
      "-p",
      '{"metadata":{"finalizers":null}}',
    ]);
    // The controller looks again after upstream's finalizer estimate (15 s / 2 + 1).
    await until("namespace gone", async () => (await namespace("held")) === undefined, 20_000);
  });

  it("leaves namespaces that are not being deleted alone", async () => {
    await h.kubectl(["create", "namespace", "kept"]);
    await h.kubectl(["create", "configmap", "c", "-n", "kept"]);
    await new Promise((r) => setTimeout(r, 1500));
    const ns = await namespace("kept");
    assert.equal(ns?.status?.phase, "Active");
    assert.equal(ns?.status?.conditions, undefined);
    assert.equal((await h.kubectlRaw(["get", "configmap", "c", "-n", "kept"])).code, 0);
  });
});

function pick(c: { status?: string; reason?: string; message?: string } | undefined) {
  return [c?.status, c?.reason, c?.message];
}
