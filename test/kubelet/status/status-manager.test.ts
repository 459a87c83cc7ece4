import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, PodStatus } from "kubernetes-types/core/v1.js";
import type { ResourceClient } from "../../../src/client/rest/resource.js";
import { StatusManager } from "../../../src/kubelet/status/status-manager.js";

function fakePods() {
  const patches: PodStatus[] = [];
  const client = {
    async patch(_name: string, body: { status: PodStatus }) {
      patches.push(structuredClone(body.status));
      return {} as Pod;
    },
  } as unknown as ResourceClient<Pod>;
  return { client, patches };
}

const status = (ready: "True" | "False"): PodStatus => ({
  phase: "Running",
  conditions: [
    { type: "Ready", status: ready },
    { type: "ContainersReady", status: "True" },
  ],
});
const target = { namespace: "default", name: "p", uid: "u1" };

describe("status manager", () => {
  it("sends a status once, and again only when it changes", async () => {
    const { client, patches } = fakePods();
    const m = new StatusManager(client);
    m.set("u1", target, status("True"));
    await m.flush();
    m.set("u1", target, status("True"));
    await m.flush();
    assert.equal(patches.length, 1);
    await m.stop();
  });

  it("puts its status back when the API's drifted (a controller marked the pod not Ready)", async () => {
    const { client, patches } = fakePods();
    const m = new StatusManager(client);
    m.set("u1", target, status("True"));
    await m.flush();
    m.seen("u1", status("True")); // the API shows what we sent: nothing to do
    await m.flush();
    assert.equal(patches.length, 1);
    m.seen("u1", status("False")); // the node lifecycle controller's MarkPodsNotReady
    await m.flush();
    assert.equal(patches.length, 2);
    assert.equal(patches[1]?.conditions?.find((c) => c.type === "Ready")?.status, "True");
    await m.stop();
  });

  it("seeds what the API shows after a restart instead of resending it", async () => {
    const { client, patches } = fakePods();
    const m = new StatusManager(client);
    m.seen("u1", status("True")); // no entry yet: ignored
    m.set("u1", target, status("True"));
    await m.flush();
    assert.equal(patches.length, 1);
    await m.stop();
  });
});
