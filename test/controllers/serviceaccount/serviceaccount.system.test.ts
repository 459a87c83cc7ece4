// System suite: the service account controller against a real API
// server, observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ServiceAccountController } from "../../../src/controllers/serviceaccount/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

describe("service account controller", () => {
  let h: ControllerHarness;
  const uidOf = async (ns: string) => {
    const r = await h.kubectlRaw([
      "get",
      "serviceaccount",
      "default",
      "-n",
      ns,
      "-o",
      "jsonpath={.metadata.uid}",
    ]);
    return r.code === 0 && r.stdout !== "" ? r.stdout : undefined;
  };

  before(async () => {
    h = await startControllers((ctx) => [new ServiceAccountController(ctx)]);
  });
  after(async () => {
    await h?.stop();
  });

  it("gives the namespaces that exist at start a default service account", async () => {
    for (const ns of ["default", "kube-system", "kube-public"]) {
      await until(`default service account in ${ns}`, () => uidOf(ns));
    }
  });

  it("gives a new namespace a default service account", async () => {
    await h.kubectl(["create", "namespace", "team-a"]);
    await until("default service account in team-a", () => uidOf("team-a"));
    const names = await h.kubectl(["get", "serviceaccounts", "-n", "team-a", "-o", "name"]);
    assert.equal(names.trim(), "serviceaccount/default");
  });

  it("recreates a deleted default service account", async () => {
    await h.kubectl(["create", "namespace", "team-b"]);
    const first = await until("first default service account", () => uidOf("team-b"));
    await h.kubectl(["delete", "serviceaccount", "default", "-n", "team-b"]);
    const second = await until("a new default service account", async () => {
      const uid = await uidOf("team-b");
      return uid !== undefined && uid !== first ? uid : undefined;
    });
    assert.notEqual(second, first);
  });

  it("creates nothing in a terminating namespace", async () => {
    await h.kubectl(["create", "namespace", "closing"]);
    await until("default service account in closing", () => uidOf("closing"));
    // No namespace controller here: the namespace stays Terminating.
    await h.kubectl(["delete", "namespace", "closing", "--wait=false"]);
    await h.kubectl(["delete", "serviceaccount", "default", "-n", "closing"]);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await uidOf("closing"), undefined);
    const phase = await h.kubectl([
      "get",
      "namespace",
      "closing",
      "-o",
      "jsonpath={.status.phase}",
    ]);
    assert.equal(phase, "Terminating");
  });
});
