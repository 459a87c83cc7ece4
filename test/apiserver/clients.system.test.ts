// System suite: official client libraries against an in-process API server —
// @kubernetes/client-node (npm) and Debian's python3-kubernetes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";

describe("client libraries against the API server", () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server?.stop();
  });

  it("@kubernetes/client-node lists, creates, patches and watches", async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.adminKubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === "kube-system"));

    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    let resolveSeen: () => void = () => {};
    const seen = new Promise<void>((resolve) => {
      resolveSeen = resolve;
    });
    const req = await watch.watch(
      "/api/v1/namespaces/default/configmaps",
      {},
      (type, obj: k8s.V1ConfigMap) => {
        events.push(`${type} ${obj.metadata?.name} ${JSON.stringify(obj.data ?? {})}`);
        if (type === "MODIFIED") resolveSeen();
      },
      () => {},
    );
    try {
      const created = await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "from-node" }, data: { a: "1" } },
      });
      assert.ok(created.metadata?.uid);
      const patched = await core.patchNamespacedConfigMap(
        { namespace: "default", name: "from-node", body: { data: { b: "2" } } },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
      );
      assert.deepEqual(patched.data, { a: "1", b: "2" });
      await Promise.race([
        seen,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no MODIFIED event: ${events}`)), 5000),
        ),
      ]);
      assert.deepEqual(events.slice(0, 2), [
        'ADDED from-node {"a":"1"}',
        'MODIFIED from-node {"a":"1","b":"2"}',
      ]);
    } finally {
      req.abort();
    }
  });

  it("python3-kubernetes lists, creates, patches and watches", async () => {
    const script = `
import sys, threading
from kubernetes import client, config, watch
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
names = [n.metadata.name for n in v1.list_namespace().items]
assert "default" in names, names
events = []
def run():
    w = watch.Watch()
    for ev in w.stream(v1.list_namespaced_config_map, "default", timeout_seconds=10):
        events.append((ev["type"], ev["object"].metadata.name))
        if ev["type"] == "MODIFIED" and ev["object"].metadata.name == "from-python":
            w.stop()
t = threading.Thread(target=run)
t.start()
import time; time.sleep(1)
v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python"), data={"x": "1"}))
v1.patch_namespaced_config_map("from-python", "default", {"metadata": {"labels": {"by": "python"}}})
t.join(15)
cm = v1.read_namespaced_config_map("from-python", "default")
assert cm.metadata.labels == {"by": "python"}, cm.metadata.labels
assert ("ADDED", "from-python") in events and ("MODIFIED", "from-python") in events, events
print("ok")
`;
    // Asynchronously: the API server runs in this process and must keep serving meanwhile.
    const r = await promisify(execFile)(
      "/usr/bin/python3",
      ["-c", script, server.adminKubeconfig],
      {
        timeout: 60_000,
      },
    );
    assert.equal(r.stdout.trim().split("\n").pop(), "ok", r.stderr);
  });
});
