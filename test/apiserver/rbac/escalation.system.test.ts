// System suite: RBAC privilege-escalation prevention against a real API
// server, driven by the real kubectl as a user with a client certificate
// from the cluster CA (jane, group devs) who may manage roles and
// rolebindings in `default` but not delete pods.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ClusterRole, PolicyRule } from "kubernetes-types/rbac/v1.js";
import { clientCert } from "../../../src/apiserver/pki-setup.js";
import { kubeconfigYaml } from "../../../src/pki/kubeconfig.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { type KubectlResult, kubectl, kubectlOk } from "../../support/kubectl.js";
import { tempDir } from "../../support/tmp.js";

const JANE = 'user "jane" (groups=["devs" "system:authenticated"])';
const NOT_HELD = "is attempting to grant RBAC permissions not currently held:";

/** Runs `attempt` until `done` accepts its result (the authorizer's cache follows the store). */
async function eventually(
  attempt: () => Promise<KubectlResult>,
  done: (r: KubectlResult) => boolean,
): Promise<KubectlResult> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await attempt();
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe("RBAC escalation prevention", () => {
  const dir = tempDir("rbac-escalation");
  let server: TestApiServer;
  let janeConfig: string;
  const admin = (args: readonly string[], input?: string) =>
    kubectlOk(server.adminKubeconfig, args, input === undefined ? {} : { input });
  const jane = (args: readonly string[]) => kubectl(janeConfig, args);
  const canI = (args: readonly string[]) =>
    eventually(
      () => jane(["auth", "can-i", ...args, "-n", "default"]),
      (r) => r.stdout.trim() === "yes",
    );

  before(async () => {
    server = await startTestApiServer();
    const tls = join(server.dataDir, "tls");
    const ca = {
      cert: readFileSync(join(tls, "ca.crt"), "utf8"),
      key: readFileSync(join(tls, "ca.key"), "utf8"),
    };
    const pair = await clientCert(ca, "jane", ["devs"]);
    janeConfig = join(dir.path, "jane.kubeconfig");
    writeFileSync(
      janeConfig,
      kubeconfigYaml({
        server: server.url,
        caCert: ca.cert,
        user: "jane",
        clientCert: pair.cert,
        clientKey: pair.key,
      }),
    );
    await admin([
      "create",
      "role",
      "rbac-manager",
      "-n",
      "default",
      "--verb=get,list,create,update,patch,delete",
      "--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io",
    ]);
    await admin([
      "create",
      "rolebinding",
      "rbac-manager",
      "-n",
      "default",
      "--role=rbac-manager",
      "--user=jane",
    ]);
    // No clusterrole-aggregation controller runs here: fill `admin` as it would.
    const parts = JSON.parse(
      await admin([
        "get",
        "clusterrole",
        "system:aggregate-to-admin",
        "system:aggregate-to-edit",
        "system:aggregate-to-view",
        "-o",
        "json",
      ]),
    ) as { items: ClusterRole[] };
    const rules: PolicyRule[] = parts.items.flatMap((r) => r.rules ?? []);
    assert.ok(rules.length > 0);
    await admin(["patch", "clusterrole", "admin", "--type=merge", "-p", JSON.stringify({ rules })]);
    const ok = await canI(["create", "roles.rbac.authorization.k8s.io"]);
    assert.equal(ok.stdout.trim(), "yes", ok.stderr);
  });

  after(async () => {
    await server?.stop();
    dir.remove();
  });

  it("refuses a Role granting what jane does not hold, with upstream's message", async () => {
    const r = await jane([
      "create",
      "role",
      "pod-deleter",
      "-n",
      "default",
      "--verb=delete",
      "--resource=pods",
    ]);
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr.trim(),
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "pod-deleter" is forbidden: ${JANE} ${NOT_HELD}\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}`,
    );
  });

  it("allows a Role with only what jane holds", async () => {
    const r = await jane([
      "create",
      "role",
      "role-reader",
      "-n",
      "default",
      "--verb=get,list",
      "--resource=roles.rbac.authorization.k8s.io",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /role.rbac.authorization.k8s.io\/role-reader created/);
  });

  it("refuses binding jane to admin until she may bind it", async () => {
    const bind = () =>
      jane([
        "create",
        "rolebinding",
        "jane-admin",
        "-n",
        "default",
        "--clusterrole=admin",
        "--user=jane",
      ]);
    const refused = await bind();
    assert.notEqual(refused.code, 0);
    assert.ok(
      refused.stderr.startsWith(
        `error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "jane-admin" is forbidden: ${JANE} ${NOT_HELD}\n{APIGroups:[""], Resources:[`,
      ),
      refused.stderr,
    );
    assert.match(
      refused.stderr,
      /\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\[[^\n]*"delete"/,
    );

    await admin([
      "create",
      "role",
      "admin-binder",
      "-n",
      "default",
      "--verb=bind",
      "--resource=clusterroles.rbac.authorization.k8s.io",
      "--resource-name=admin",
    ]);
    await admin([
      "create",
      "rolebinding",
      "admin-binder",
      "-n",
      "default",
      "--role=admin-binder",
      "--user=jane",
    ]);
    const allowed = await eventually(bind, (r) => r.code === 0);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /rolebinding.rbac.authorization.k8s.io\/jane-admin created/);
  });

  it("lets system:masters grant anything", async () => {
    await admin([
      "create",
      "role",
      "pod-deleter",
      "-n",
      "default",
      "--verb=delete",
      "--resource=pods",
    ]);
  });
});
