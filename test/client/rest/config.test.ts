import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, inClusterConfig, loadKubeconfig } from "../../../src/client/rest/config.js";
import {
  ConflictError,
  GoneError,
  NotFoundError,
  statusError,
} from "../../../src/client/rest/errors.js";
import { tempDir } from "../../support/tmp.js";

describe("client configuration", () => {
  const dir = tempDir("client-config");
  after(() => dir.remove());

  it("resolves the current context, or a named one, with its namespace and credentials", () => {
    const tokenFile = join(dir.path, "token");
    writeFileSync(tokenFile, "from-file\n");
    const path = join(dir.path, "config");
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${Buffer.from("CA").toString("base64")}}
- name: c2
  cluster: {server: "https://10.0.0.2:6443", insecure-skip-tls-verify: true}
users:
- name: u1
  user: {token: abc}
- name: u2
  user: {tokenFile: ${tokenFile}}
contexts:
- name: one
  context: {cluster: c1, user: u1, namespace: team-a}
- name: two
  context: {cluster: c2, user: u2}
`,
    );
    const one = loadKubeconfig({ path });
    assert.equal(one.server, "https://10.0.0.1:6443");
    assert.equal(one.namespace, "team-a");
    assert.equal(one.token, "abc");
    assert.equal(one.ca?.toString(), "CA");
    const two = loadKubeconfig({ path, context: "two" });
    assert.equal(two.namespace, "default");
    assert.equal(two.token, "from-file");
    assert.equal(two.insecureSkipTLSVerify, true);
    assert.throws(() => loadKubeconfig({ path, context: "three" }), ConfigError);
  });

  it("reads the in-cluster service account", () => {
    const sa = join(dir.path, "sa");
    mkdirSync(sa);
    writeFileSync(join(sa, "token"), "sa-token");
    writeFileSync(join(sa, "ca.crt"), "CA");
    writeFileSync(join(sa, "namespace"), "kube-system");
    const saved = {
      host: process.env.KUBERNETES_SERVICE_HOST,
      port: process.env.KUBERNETES_SERVICE_PORT,
    };
    process.env.KUBERNETES_SERVICE_HOST = "10.43.0.1";
    process.env.KUBERNETES_SERVICE_PORT = "443";
    try {
      const c = inClusterConfig(sa);
      assert.equal(c.server, "https://10.43.0.1:443");
      assert.equal(c.token, "sa-token");
      assert.equal(c.namespace, "kube-system");
    } finally {
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      else process.env.KUBERNETES_SERVICE_HOST = saved.host;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
      else process.env.KUBERNETES_SERVICE_PORT = saved.port;
    }
  });

  it("classifies Status failures as typed errors", () => {
    assert.ok(statusError(404, { reason: "NotFound" }) instanceof NotFoundError);
    assert.ok(statusError(409, { reason: "Conflict" }) instanceof ConflictError);
    assert.ok(statusError(410, { reason: "Expired" }) instanceof GoneError);
    assert.ok(statusError(200, { reason: "Expired", code: 410 }) instanceof GoneError);
  });
});
