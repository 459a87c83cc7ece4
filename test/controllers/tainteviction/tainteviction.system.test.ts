// System suite: the taint eviction controller against a real API server
// holding a Node object (no kubelet), tainted with the real kubectl: a pod
// that does not tolerate a NoExecute taint is deleted at once, one that
// tolerates it for a while is deleted when that runs out, and a pending
// eviction is cancelled when the taint goes first.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { CoreEvent } from "../../../src/client/events/recorder.js";
import { TaintEvictionController } from "../../../src/controllers/tainteviction/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

function pod(name: string, tolerationSeconds?: number): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      nodeName: "n1",
      containers: [{ name: "c", image: "nginx:1" }],
      tolerations:
        tolerationSeconds === undefined
          ? []
          : [{ key: "maintenance", operator: "Exists", effect: "NoExecute", tolerationSeconds }],
    },
  });
}

describe("taint eviction", () => {
  let h: ControllerHarness;
  const getPod = async (name: string): Promise<Pod | undefined> => {
    const r = await h.kubectlRaw(["get", "pod", name, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
  };
  /** Being deleted (no kubelet finishes it) or gone. */
  const evicted = async (name: string) => {
    const p = await getPod(name);
    return p === undefined || p.metadata?.deletionTimestamp !== undefined;
  };
  const events = async () =>
    (JSON.parse(await h.kubectl(["get", "events", "-o", "json"])).items as CoreEvent[]).filter(
      (e) => e.reason === "TaintManagerEviction",
    );

  before(async () => {
    h = await startControllers((ctx) => [new TaintEvictionController(ctx)]);
    await h.kubectl(
      ["create", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } }),
    );
  });
  after(async () => {
    await h?.stop();
  });

  it("evicts intolerant pods at once and tolerating ones when tolerationSeconds run out", async () => {
    await h.kubectl(["create", "-f", "-"], pod("intolerant"));
    await h.kubectl(["create", "-f", "-"], pod("patient", 4));
    const tainted = Date.now();
    await h.kubectl(["taint", "node", "n1", "maintenance=now:NoExecute"]);
    await until("intolerant evicted", () => evicted("intolerant"));
    assert.equal(await evicted("patient"), false);
    await until("patient evicted", () => evicted("patient"), 10_000);
    // At least 3 s of the 4: a timeAdded, if set, has whole seconds.
    assert.ok(Date.now() - tainted >= 3_000, "patient waited for its tolerationSeconds");
    const p = await getPod("patient");
    if (p) {
      const c = p.status?.conditions?.find((x) => x.type === "DisruptionTarget");
      assert.equal(c?.reason, "DeletionByTaintManager");
    }
    const messages = (await events()).map((e) => e.message);
    assert.ok(messages.includes("Marking for deletion Pod default/intolerant"));
    assert.ok(messages.includes("Marking for deletion Pod default/patient"));
    await h.kubectl(["taint", "node", "n1", "maintenance:NoExecute-"]);
  });

  it("cancels a pending eviction when the taint is removed in time", async () => {
    await h.kubectl(["create", "-f", "-"], pod("lucky", 4));
    const tainted = Date.now();
    await h.kubectl(["taint", "node", "n1", "maintenance=again:NoExecute"]);
    await new Promise((r) => setTimeout(r, 1_000));
    await h.kubectl(["taint", "node", "n1", "maintenance:NoExecute-"]);
    await until("cancel event", async () =>
      (await events()).some((e) => e.message === "Cancelling deletion of Pod default/lucky"),
    );
    // Past the time it would have gone.
    await new Promise((r) => setTimeout(r, Math.max(0, tainted + 5_000 - Date.now())));
    assert.equal(await evicted("lucky"), false);
  });
});
