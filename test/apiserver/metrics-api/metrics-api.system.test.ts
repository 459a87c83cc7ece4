// System suite: the resource metrics API (metrics.k8s.io/v1beta1) against
// two hollow nodes (the real kubelet over the fake runtime, serving
// /stats/summary) with simulated container usage, read with the real
// kubectl: discovery, `kubectl top node`, `kubectl top pod` (-A, -l,
// --containers) and the raw objects.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import { until } from "../../kubelet/harness.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { type FakeNode, startFakeNode } from "../../support/fake-node.js";
import { kubectl, kubectlOk } from "../../support/kubectl.js";

const MI = 1024 * 1024;

function pod(name: string, opts: { node: string; namespace?: string; app: string }): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: opts.namespace ?? "default", labels: { app: opts.app } },
    spec: {
      nodeName: opts.node,
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: "main", image: "nginx:1" },
        { name: "side", image: "busybox:1.36" },
      ],
    },
  });
}

describe("resource metrics API and kubectl top", () => {
  let server: TestApiServer;
  let rest: RestClient;
  const nodes: FakeNode[] = [];
  const k = (args: string[], input?: string) =>
    kubectlOk(server.adminKubeconfig, args, input === undefined ? {} : { input });

  before(async () => {
    server = await startTestApiServer({ metricResolutionMs: 1000 });
    const config = loadKubeconfig({ path: server.adminKubeconfig });
    rest = new RestClient(config);
    for (const nodeName of ["node-a", "node-b"])
      nodes.push(await startFakeNode(rest, { nodeName, clientCA: config.ca ?? "" }));
    for (const n of nodes) {
      n.setUsage("web", { nanoCores: 250_000_000, workingSetBytes: 64 * MI });
      n.setUsage("db", { nanoCores: 1_500_000_000, workingSetBytes: 512 * MI });
    }
    await k(["create", "namespace", "data"]);
    await k(["apply", "-f", "-"], pod("web-1", { node: "node-a", app: "web" }));
    await k(["apply", "-f", "-"], pod("web-2", { node: "node-b", app: "web" }));
    await k(["apply", "-f", "-"], pod("db-1", { node: "node-b", namespace: "data", app: "db" }));
  });

  after(async () => {
    for (const n of nodes) await n.remove();
    rest?.close();
    await server?.stop();
  });

  it("lists metrics.k8s.io/v1beta1 in discovery", async () => {
    const out = await k(["api-resources", "--api-group=metrics.k8s.io", "--no-headers"]);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    assert.deepEqual(lines.map((l) => [l[0], l.at(-2), l.at(-1)]).sort(), [
      ["nodes", "false", "NodeMetrics"],
      ["pods", "true", "PodMetrics"],
    ]);
    const versions = await k(["api-versions"]);
    assert.match(versions, /^metrics\.k8s\.io\/v1beta1$/m);
  });

  it("kubectl top node prints every node's CPU and memory once two scrapes are in", async () => {
    const out = await until(
      "node metrics",
      async () => {
        const r = await kubectl(server.adminKubeconfig, ["top", "node", "--no-headers"]);
        const lines = r.stdout.trim().split("\n");
        return r.code === 0 && lines.length === 2 && !r.stdout.includes("<unknown>")
          ? r.stdout
          : undefined;
      },
      30_000,
    );
    for (const node of ["node-a", "node-b"])
      assert.match(out, new RegExp(`^${node}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*$`, "m"));
  });

  it("kubectl top pod prints each pod's usage summed over its containers", async () => {
    const out = await until(
      "pod metrics",
      async () => {
        const r = await kubectl(server.adminKubeconfig, ["top", "pod", "--no-headers"]);
        return r.code === 0 && r.stdout.trim().split("\n").length === 2 ? r.stdout : undefined;
      },
      30_000,
    );
    // Two containers of 250m and 64Mi each.
    assert.match(out, /^web-1\s+500m\s+128Mi\s*$/m);
    assert.match(out, /^web-2\s+500m\s+128Mi\s*$/m);
  });

  it("kubectl top pod -A, -l and --containers select and split as upstream", async () => {
    const all = await until("db metrics", async () => {
      const out = await k(["top", "pod", "-A", "--no-headers"]);
      return out.includes("db-1") ? out : undefined;
    });
    assert.match(all, /^data\s+db-1\s+3000m\s+1024Mi\s*$/m);
    assert.match(all, /^default\s+web-1\s+500m\s+128Mi\s*$/m);
    const selected = await k(["top", "pod", "-A", "-l", "app=db", "--no-headers"]);
    assert.deepEqual(
      selected
        .trim()
        .split("\n")
        .map((l) => l.split(/\s+/)[1]),
      ["db-1"],
    );
    const containers = await k(["top", "pod", "web-1", "--containers", "--no-headers"]);
    assert.match(containers, /^web-1\s+main\s+250m\s+64Mi\s*$/m);
    assert.match(containers, /^web-1\s+side\s+250m\s+64Mi\s*$/m);
  });

  it("serves PodMetrics and NodeMetrics objects and 404s what has no metrics", async () => {
    const pm = JSON.parse(
      await k(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1"]),
    );
    assert.equal(pm.kind, "PodMetrics");
    assert.deepEqual(pm.metadata.labels, { app: "web" });
    assert.match(pm.window, /^\d+(\.\d+)?m?s$/);
    assert.deepEqual(
      pm.containers.map((c: { name: string; usage: object }) => [c.name, c.usage]),
      [
        ["main", { cpu: "250m", memory: "64Mi" }],
        ["side", { cpu: "250m", memory: "64Mi" }],
      ],
    );
    const nm = JSON.parse(await k(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/node-a"]));
    assert.equal(nm.kind, "NodeMetrics");
    assert.ok(nm.usage.cpu && nm.usage.memory);
    const list = JSON.parse(
      await k(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb"]),
    );
    assert.equal(list.kind, "PodMetricsList");
    assert.deepEqual(
      list.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(),
      ["web-1", "web-2"],
    );
    const missing = await kubectl(server.adminKubeconfig, [
      "get",
      "--raw",
      "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope",
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /podmetrics\.metrics\.k8s\.io "default\/nope" not found/);
    const table = await k(["get", "podmetrics", "-n", "data"]);
    assert.match(table, /^NAME\s+CPU\s+MEMORY\s+WINDOW/);
    assert.match(table, /^db-1\s+3\s+1Gi\s+/m);
  });

  it("drops a pod whose containers stop reporting usage", async () => {
    for (const n of nodes) n.setUsage("web", undefined);
    await until("web-2 gone from top", async () => {
      const out = await k(["top", "pod", "-A", "--no-headers"]);
      return !out.includes("web-2") ? true : undefined;
    });
  });
});
