// System suite: `k8ts kubelet --runtime fake` as its own process (a hollow
// node) against a real API server: it registers a Ready node and runs a pod
// bound to it; SIGTERM stops it cleanly.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { until } from "../kubelet/harness.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { spawnK8ts } from "../support/cli.js";
import { kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

describe("k8ts kubelet (process)", () => {
  let server: TestApiServer;
  let child: ChildProcess | undefined;
  const dir = tempDir("kubelet-cli");
  let stderr = () => "";

  before(async () => {
    server = await startTestApiServer();
    const started = spawnK8ts([
      "kubelet",
      "--kubeconfig",
      server.adminKubeconfig,
      "--node-name",
      "hollow-1",
      "--runtime",
      "fake",
      "--root-dir",
      join(dir.path, "root"),
      "--data-dir",
      join(dir.path, "data"),
      "--pod-manifest-path",
      join(dir.path, "manifests"),
      "--node-labels",
      "tier=hollow",
      "--register-with-taints",
      "hollow=true:NoSchedule",
      "--port",
      "0",
      "--address",
      "127.0.0.1",
      "--node-ip",
      "127.0.0.1",
    ]);
    child = started.child;
    stderr = started.stderr;
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child?.once("exit", r));
    }
    await server?.stop();
    dir.remove();
  });

  it("registers a Ready node with its labels and taints, runs a bound pod, and exits on SIGTERM", async () => {
    const kc = server.adminKubeconfig;
    const node = await until(
      "node Ready",
      async () => {
        const out = await kubectlOk(kc, ["get", "node", "hollow-1", "-o", "json"]).catch(() => "");
        if (!out) return undefined;
        const n = JSON.parse(out);
        return n.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
        )
          ? n
          : undefined;
      },
      30_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nkubelet stderr:\n${stderr()}`);
    });
    assert.equal(node.metadata.labels.tier, "hollow");
    assert.deepEqual(node.spec.taints, [{ key: "hollow", value: "true", effect: "NoSchedule" }]);
    const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
    assert.ok(port > 0 && port !== 10250, "the port the server got");
    await kubectlOk(kc, ["apply", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "hollow-pod" },
        spec: { nodeName: "hollow-1", containers: [{ name: "c", image: "nginx:1.25" }] },
      }),
    });
    await until(
      "pod Running",
      async () => {
        const out = await kubectlOk(kc, ["get", "pod", "hollow-pod", "--no-headers"]);
        return /1\/1\s+Running/.test(out) ? out : undefined;
      },
      30_000,
    );
    child?.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child?.once("exit", (c) => r(c)));
    assert.equal(code, 0, stderr());
  });
});

describe("k8ts hollow-nodes (process)", () => {
  it("registers N Ready hollow nodes from one process and stops on SIGTERM", async () => {
    const server = await startTestApiServer();
    const dir = tempDir("hollow-nodes");
    const { child, stderr } = spawnK8ts([
      "hollow-nodes",
      "--kubeconfig",
      server.adminKubeconfig,
      "--count",
      "3",
      "--root-dir",
      dir.path,
    ]);
    try {
      const table = await until(
        "3 Ready nodes",
        async () => {
          const out = await kubectlOk(server.adminKubeconfig, [
            "get",
            "nodes",
            "-l",
            "k8ts.io/hollow=true",
            "--no-headers",
          ]).catch(() => "");
          return (out.match(/\sReady\s/g) ?? []).length === 3 ? out : undefined;
        },
        30_000,
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${stderr()}`);
      });
      assert.match(table, /hollow-node-0\s+Ready/);
      assert.match(table, /hollow-node-2\s+Ready/);
      child.kill("SIGTERM");
      assert.equal(await new Promise((r) => child.once("exit", (c) => r(c))), 0, stderr());
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await server.stop();
      dir.remove();
    }
  });
});
