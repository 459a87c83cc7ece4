// System suite: the root CA publisher against a real API server, observed
// with the real kubectl.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { RootCACertPublisher } from "../../../src/controllers/rootcacert/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

describe("root CA certificate publisher", () => {
  let h: ControllerHarness;
  let ca: string;
  const published = async (ns: string) => {
    const r = await h.kubectlRaw(["get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as { data?: Record<string, string> }) : undefined;
  };

  before(async () => {
    h = await startControllers((ctx) => [new RootCACertPublisher(ctx)]);
    ca = readFileSync(h.server.caCertPath, "utf8");
  });
  after(async () => {
    await h?.stop();
  });

  it("publishes the cluster CA in the namespaces that exist at start", async () => {
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      const cm = await until(`kube-root-ca.crt in ${ns}`, () => published(ns));
      assert.deepEqual(cm.data, { "ca.crt": ca });
    }
  });

  it("publishes it in a new namespace, described as upstream describes it", async () => {
    await h.kubectl(["create", "namespace", "team-a"]);
    await until("kube-root-ca.crt in team-a", () => published("team-a"));
    const description = await h.kubectl([
      "get",
      "configmap",
      "kube-root-ca.crt",
      "-n",
      "team-a",
      "-o",
      "jsonpath={.metadata.annotations.kubernetes\\.io/description}",
    ]);
    assert.match(
      description,
      /^Contains a CA bundle that can be used to verify the kube-apiserver/,
    );
  });

  it("undoes edits and deletions", async () => {
    await h.kubectl(["create", "namespace", "team-b"]);
    await until("kube-root-ca.crt in team-b", () => published("team-b"));
    await h.kubectl([
      "patch",
      "configmap",
      "kube-root-ca.crt",
      "-n",
      "team-b",
      "--type=merge",
      "-p",
      '{"data":{"ca.crt":"tampered"}}',
    ]);
    await until(
      "the CA restored",
      async () => (await published("team-b"))?.data?.["ca.crt"] === ca,
    );
    await h.kubectl(["delete", "configmap", "kube-root-ca.crt", "-n", "team-b"]);
    await until(
      "the ConfigMap recreated",
      async () => (await published("team-b"))?.data?.["ca.crt"] === ca,
    );
  });
});
