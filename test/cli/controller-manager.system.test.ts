// System suite: `k8ts controller-manager` as its own process, beside
// `k8ts scheduler` and `k8ts hollow-nodes`, against a real API server — the
// components talk only through the API. A Deployment made with the real
// kubectl gets scheduled onto the hollow nodes, runs, and rolls to a new
// image; SIGTERM stops the controller manager cleanly.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { until } from "../kubelet/harness.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { k8ts, spawnK8ts } from "../support/cli.js";
import { kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

describe("k8ts controller-manager (process)", () => {
  let server: TestApiServer;
  const dir = tempDir("controller-manager-cli");
  const children: { name: string; child: ChildProcess; stderr: () => string }[] = [];
  const logs = () => children.map((c) => `--- ${c.name}\n${c.stderr().slice(-3000)}`).join("\n");

  before(async () => {
    server = await startTestApiServer();
    const kc = server.adminKubeconfig;
    for (const [name, args] of [
      [
        "hollow-nodes",
        ["hollow-nodes", "--kubeconfig", kc, "--count", "2", "--root-dir", dir.path],
      ],
      ["scheduler", ["scheduler", "--kubeconfig", kc]],
      ["controller-manager", ["controller-manager", "--kubeconfig", kc, "--leader-elect"]],
    ] as const) {
      children.push({ name, ...spawnK8ts(args) });
    }
  });
  after(async () => {
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
      }
    }
    await server?.stop();
    dir.remove();
  });

  it("rejects an unknown controller name", () => {
    const r = k8ts(
      "controller-manager",
      "--kubeconfig",
      "/nonexistent",
      "--controllers",
      "*,bogus",
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown controller "bogus"/);
  });

  it("runs a Deployment on hollow nodes and rolls it to a new image", async () => {
    const kc = server.adminKubeconfig;
    const run = (args: string[]) => kubectlOk(kc, args);
    try {
      await until(
        "2 Ready nodes",
        async () => {
          const out = await run(["get", "nodes", "--no-headers"]).catch(() => "");
          return (out.match(/\sReady\s/g) ?? []).length === 2 ? true : undefined;
        },
        30_000,
      );
      await run(["create", "deployment", "web", "--image=nginx:1.7.9", "--replicas=4"]);
      await kubectlOk(kc, ["rollout", "status", "deployment/web", "--timeout=60s"]);
      const nodes = new Set(
        (
          await run(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}"])
        ).split(" "),
      );
      assert.equal(nodes.size, 2, "pods spread over both hollow nodes");
      await run(["set", "image", "deployment/web", "nginx=nginx:1.8"]);
      await kubectlOk(kc, ["rollout", "status", "deployment/web", "--timeout=60s"]);
      const images = await run([
        "get",
        "pods",
        "-l",
        "app=web",
        "-o",
        "jsonpath={.items[*].spec.containers[0].image}",
      ]);
      assert.deepEqual([...new Set(images.split(" "))], ["nginx:1.8"]);
      const lease = await run([
        "get",
        "lease",
        "-n",
        "kube-system",
        "kube-controller-manager",
        "-o",
        "jsonpath={.spec.holderIdentity}",
      ]);
      assert.ok(lease.length > 0, "the controller manager holds its lease");
    } catch (err) {
      throw new Error(`${String(err)}\n${logs()}`);
    }
    const cm = children.find((c) => c.name === "controller-manager");
    cm?.child.kill("SIGTERM");
    assert.equal(await new Promise((r) => cm?.child.once("exit", (c) => r(c))), 0, cm?.stderr());
  });
});
