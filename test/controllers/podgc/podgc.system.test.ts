// System suite: the pod garbage collector against a real API server (no
// kubelets), with a short quarantine and check period: pods bound to a
// node that does not exist are force-deleted, pods on a real node stay,
// and finished pods beyond the threshold go oldest first.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PodGcController } from "../../../src/controllers/podgc/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

function pod(name: string, nodeName: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName, containers: [{ name: "c", image: "nginx:1" }] },
  });
}

describe("pod GC", () => {
  let h: ControllerHarness;
  const exists = async (name: string) =>
    (await h.kubectlRaw(["get", "pod", name, "-o", "name"])).code === 0;

  before(async () => {
    h = await startControllers((ctx) => [
      new PodGcController(ctx, {
        quarantineMs: 1_000,
        gcCheckPeriodMs: 300,
        terminatedPodThreshold: 2,
      }),
    ]);
    await h.kubectl(
      ["create", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "real" } }),
    );
  });
  after(async () => {
    await h?.stop();
  });

  it("force-deletes a pod bound to a node that does not exist, after the quarantine", async () => {
    await h.kubectl(["create", "-f", "-"], pod("housed", "real"));
    // Taken before the create: the collector cannot have seen the orphan earlier.
    const created = Date.now();
    await h.kubectl(["create", "-f", "-"], pod("orphan", "ghost"));
    await until("orphan gone", async () => !(await exists("orphan")), 15_000);
    assert.ok(Date.now() - created >= 900, "not before the quarantine");
    assert.equal(await exists("housed"), true);
  });

  it("deletes finished pods beyond the threshold, oldest first", async () => {
    for (const name of ["done-1", "done-2", "done-3"]) {
      await h.kubectl(["create", "-f", "-"], pod(name, "real"));
      const [p] = (await h.pods()).filter((x) => x.metadata?.name === name);
      assert.ok(p);
      await h.setPodPhase(p, "Succeeded");
      // Whole-second creation times: a pause makes "oldest" unambiguous.
      await new Promise((r) => setTimeout(r, 1_100));
    }
    await until("done-1 gone", async () => !(await exists("done-1")), 15_000);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await exists("done-2"), true);
    assert.equal(await exists("done-3"), true);
    assert.equal(await exists("housed"), true, "running pods do not count");
  });
});
