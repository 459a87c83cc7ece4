// System suite: RBAC enforced by the API server, driven by the real kubectl
// as an admin (system:masters) and as "jane" in group "devs" (a client
// certificate from the cluster CA), as against kube-apiserver
// --authorization-mode=Node,RBAC.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { clientCert } from "../../../src/apiserver/pki-setup.js";
import { kubeconfigYaml } from "../../../src/pki/kubeconfig.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { type KubectlResult, kubectl, kubectlOk } from "../../support/kubectl.js";
import { tempDir } from "../../support/tmp.js";

/** A kubeconfig for `user` in `groups`, with a client certificate signed by the server's CA. */
async function userKubeconfig(
  server: TestApiServer,
  dir: string,
  user: string,
  groups: readonly string[],
): Promise<string> {
  const tls = join(server.dataDir, "tls");
  const ca = {
    cert: readFileSync(join(tls, "ca.crt"), "utf8"),
    key: readFileSync(join(tls, "ca.key"), "utf8"),
  };
  const pair = await clientCert(ca, user, groups);
  const path = join(dir, `${user}.kubeconfig`);
  writeFileSync(
    path,
    kubeconfigYaml({
      server: server.url,
      caCert: ca.cert,
      user,
      clientCert: pair.cert,
      clientKey: pair.key,
    }),
    { mode: 0o600 },
  );
  return path;
}

/** Runs `run` until `ok` holds (the authorizer follows the store through a watch), at most 10 s. */
async function eventually(
  run: () => Promise<KubectlResult>,
  ok: (r: KubectlResult) => boolean,
): Promise<KubectlResult> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await run();
    if (ok(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const forbidden = (r: KubectlResult) => r.code === 1 && /\(Forbidden\)/.test(r.stderr);

describe("RBAC with kubectl", () => {
  const dir = tempDir("rbac-kubectl");
  let server: TestApiServer;
  let admin: string;
  let jane: string;
  const k = (args: readonly string[]) => kubectlOk(admin, args);
  const asJane = (args: readonly string[]) => kubectl(jane, args);

  before(async () => {
    server = await startTestApiServer();
    admin = server.adminKubeconfig;
    jane = await userKubeconfig(server, dir.path, "jane", ["devs"]);
    // Discovery, as the bootstrap system:discovery role grants every authenticated user
    // (created here too, so the suite does not depend on the default policy).
    await k([
      "create",
      "clusterrole",
      "test-discovery",
      "--verb=get",
      "--non-resource-url=/api",
      "--non-resource-url=/api/*",
      "--non-resource-url=/apis",
      "--non-resource-url=/apis/*",
      "--non-resource-url=/version",
      "--non-resource-url=/openapi/*",
    ]);
    await k([
      "create",
      "clusterrolebinding",
      "test-discovery",
      "--clusterrole=test-discovery",
      "--group=devs",
    ]);
    await eventually(
      () => asJane(["get", "--raw", "/api"]),
      (r) => r.code === 0,
    );
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  it("forbids what no binding allows, in upstream's words", async () => {
    const pods = await asJane(["get", "pods"]);
    assert.equal(pods.code, 1);
    assert.match(
      pods.stderr,
      /^Error from server \(Forbidden\): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"$/m,
    );
    const nodes = await asJane(["get", "nodes"]);
    assert.equal(nodes.code, 1);
    assert.match(
      nodes.stderr,
      /^Error from server \(Forbidden\): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope$/m,
    );
    const deploy = await asJane(["get", "deployment", "web", "-n", "kube-system"]);
    assert.equal(deploy.code, 1);
    assert.match(
      deploy.stderr,
      /^Error from server \(Forbidden\): deployments\.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "kube-system"$/m,
    );
    // The admin (system:masters) may do anything.
    await k(["get", "pods", "-A"]);
  });

  it("a Role bound in a namespace allows its verbs there and nowhere else", async () => {
    await k([
      "create",
      "role",
      "pod-reader",
      "--verb=get,list",
      "--resource=pods",
      "-n",
      "default",
    ]);
    await k([
      "create",
      "rolebinding",
      "jane-reads-pods",
      "--role=pod-reader",
      "--user=jane",
      "-n",
      "default",
    ]);
    await k(["run", "web", "--image=nginx", "--restart=Never"]);

    const list = await eventually(
      () => asJane(["get", "pods", "-o", "name"]),
      (r) => r.code === 0,
    );
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout.trim(), "pod/web");
    assert.equal((await asJane(["get", "pod", "web", "-o", "name"])).stdout.trim(), "pod/web");

    const elsewhere = await asJane(["get", "pods", "-n", "kube-system"]);
    assert.ok(forbidden(elsewhere), elsewhere.stderr);
    assert.match(
      elsewhere.stderr,
      /cannot list resource "pods" in API group "" in the namespace "kube-system"/,
    );
    const everywhere = await asJane(["get", "pods", "-A"]);
    assert.ok(forbidden(everywhere), everywhere.stderr);
    assert.match(
      everywhere.stderr,
      /cannot list resource "pods" in API group "" at the cluster scope/,
    );

    const del = await asJane(["delete", "pod", "web"]);
    assert.equal(del.code, 1);
    assert.match(
      del.stderr,
      /^Error from server \(Forbidden\): pods "web" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"$/m,
    );
    const logs = await asJane(["logs", "web"]);
    assert.ok(forbidden(logs), logs.stderr);
    assert.match(
      logs.stderr,
      /pods "web" is forbidden: User "jane" cannot get resource "pods\/log" in API group "" in the namespace "default"/,
    );
    await k(["get", "pod", "web"]);

    // Removing the binding takes the permission away.
    await k(["delete", "rolebinding", "jane-reads-pods", "-n", "default"]);
    const gone = await eventually(() => asJane(["get", "pods"]), forbidden);
    assert.ok(forbidden(gone), gone.stderr);
  });

  it("a ClusterRoleBinding to a group grants non-resource URLs until it is deleted", async () => {
    const before = await asJane(["get", "--raw", "/metrics"]);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /forbidden: User "jane" cannot get path "\/metrics"/);

    await k([
      "create",
      "clusterrole",
      "metrics-reader",
      "--verb=get",
      "--non-resource-url=/metrics",
    ]);
    await k([
      "create",
      "clusterrolebinding",
      "devs-metrics",
      "--clusterrole=metrics-reader",
      "--group=devs",
    ]);
    const allowed = await eventually(
      () => asJane(["get", "--raw", "/metrics"]),
      (r) => r.code === 0,
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /apiserver_request_total/);

    await k(["delete", "clusterrolebinding", "devs-metrics"]);
    const after = await eventually(
      () => asJane(["get", "--raw", "/metrics"]),
      (r) => r.code !== 0,
    );
    assert.equal(after.code, 1);
    assert.match(after.stderr, /forbidden: User "jane" cannot get path "\/metrics"/);
  });

  it("a ClusterRole bound with a RoleBinding applies in that namespace only", async () => {
    await k(["create", "namespace", "team"]);
    await k(["create", "clusterrole", "cm-editor", "--verb=*", "--resource=configmaps"]);
    await k([
      "create",
      "rolebinding",
      "devs-cm",
      "--clusterrole=cm-editor",
      "--group=devs",
      "-n",
      "team",
    ]);
    const created = await eventually(
      () => asJane(["create", "configmap", "settings", "-n", "team", "--from-literal=a=b"]),
      (r) => r.code === 0,
    );
    assert.equal(created.code, 0, created.stderr);
    const other = await asJane(["create", "configmap", "settings", "--from-literal=a=b"]);
    assert.equal(other.code, 1);
    assert.match(
      other.stderr,
      /configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default"/,
    );
  });
});

describe("--authorization-mode=AlwaysAllow", () => {
  const dir = tempDir("rbac-always-allow");
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer({ authorizationMode: "AlwaysAllow" });
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  it("lets every authenticated user do anything", async () => {
    const jane = await userKubeconfig(server, dir.path, "jane", ["devs"]);
    const r = await kubectl(jane, ["get", "nodes"]);
    assert.equal(r.code, 0, r.stderr);
    await kubectlOk(jane, ["create", "namespace", "janes"]);
  });
});
