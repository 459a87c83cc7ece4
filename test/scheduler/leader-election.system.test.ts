// System suite: two `k8ts scheduler --leader-elect` processes; kill the
// leader and the other one goes on scheduling.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { spawnK8ts } from "../support/cli.js";
import { kubectlOk } from "../support/kubectl.js";

function scheduler(kubeconfig: string): { child: ChildProcess; log: () => string } {
  const { child, stderr } = spawnK8ts([
    "scheduler",
    "--kubeconfig",
    kubeconfig,
    "--leader-elect",
    "--leader-elect-lease-duration",
    "3s",
    "--leader-elect-renew-deadline",
    "2s",
    "--leader-elect-retry-period",
    "500ms",
  ]);
  return { child, log: stderr };
}

async function until(
  what: string,
  cond: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("schedulers with leader election", () => {
  let server: TestApiServer;
  const procs: Array<{ child: ChildProcess; log: () => string }> = [];
  before(async () => {
    server = await startTestApiServer();
    await kubectlOk(server.adminKubeconfig, ["create", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "n1" },
        status: {
          allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
          capacity: { cpu: "2", memory: "4Gi", pods: "110" },
        },
      }),
    });
  });
  after(async () => {
    for (const p of procs) p.child.kill("SIGKILL");
    await server?.stop();
  });

  it("keeps scheduling after the leader is killed", async () => {
    const kc = server.adminKubeconfig;
    procs.push(scheduler(kc), scheduler(kc));
    const holder = async () =>
      kubectlOk(kc, [
        "get",
        "lease",
        "-n",
        "kube-system",
        "kube-scheduler",
        "-o",
        "jsonpath={.spec.holderIdentity}",
      ]).catch(() => "");
    await until("a leader", async () => (await holder()) !== "");
    const pod = (name: string) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: { containers: [{ name: "c", image: "busybox" }] },
      });
    const bound = async (name: string) =>
      (await kubectlOk(kc, ["get", "pod", name, "-o", "jsonpath={.spec.nodeName}"])) === "n1";
    await kubectlOk(kc, ["create", "-f", "-"], { input: pod("first") });
    await until("first bound", () => bound("first"));
    const first = await holder();
    // The leader is the one that logged it started scheduling.
    const leaderIndex = procs.findIndex((p) => p.log().includes('"scheduling"'));
    assert.ok(leaderIndex >= 0, "one process leads");
    assert.equal(
      procs.filter((p) => p.log().includes('"scheduling"')).length,
      1,
      "exactly one leads",
    );
    procs[leaderIndex]?.child.kill("SIGKILL");
    await kubectlOk(kc, ["create", "-f", "-"], { input: pod("second") });
    await until("second bound by the survivor", () => bound("second"), 20_000);
    assert.notEqual(await holder(), first);
  });
});
