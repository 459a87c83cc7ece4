// System suite: `kubectl auth can-i` (authorization.k8s.io/v1 reviews) with the real kubectl.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { kubectl, kubectlOk } from "../../support/kubectl.js";
import { tempDir } from "../../support/tmp.js";

const JANE_TOKEN = "jane-secret-token";

/** The admin kubeconfig with its user replaced by a bearer token. */
function tokenKubeconfig(adminKubeconfig: string, token: string, file: string): string {
  const cfg = parseYaml(readFileSync(adminKubeconfig, "utf8")) as {
    users: Array<{ name: string; user: Record<string, unknown> }>;
  };
  for (const u of cfg.users) u.user = { token };
  writeFileSync(file, toYaml(cfg));
  return file;
}

const SAR = (user: string, verb: string, resource: string, namespace: string) => `
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: ${user}
  groups: ["system:authenticated"]
  resourceAttributes:
    namespace: ${namespace}
    verb: ${verb}
    resource: ${resource}
`;

describe("kubectl auth can-i", () => {
  let server: TestApiServer;
  let admin: string;
  let jane: string;
  const files = tempDir("can-i");
  before(async () => {
    const tokens = join(files.path, "tokens.csv");
    writeFileSync(tokens, `${JANE_TOKEN},jane,u-jane\n`);
    server = await startTestApiServer({ tokenAuthFile: tokens });
    admin = server.adminKubeconfig;
    jane = tokenKubeconfig(admin, JANE_TOKEN, join(files.path, "jane.kubeconfig"));
  });
  after(async () => {
    await server?.stop();
    files.remove();
  });

  it("lists the review kinds in api-resources and explains them", async () => {
    const out = await kubectlOk(admin, ["api-resources", "--api-group=authorization.k8s.io"]);
    assert.match(
      out,
      /^localsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+true\s+LocalSubjectAccessReview$/m,
    );
    for (const [name, kind] of [
      ["selfsubjectaccessreviews", "SelfSubjectAccessReview"],
      ["selfsubjectrulesreviews", "SelfSubjectRulesReview"],
      ["subjectaccessreviews", "SubjectAccessReview"],
    ])
      assert.match(
        out,
        new RegExp(`^${name}\\s+authorization\\.k8s\\.io/v1\\s+false\\s+${kind}$`, "m"),
      );
    const wide = await kubectlOk(admin, [
      "api-resources",
      "--api-group=authorization.k8s.io",
      "-o",
      "wide",
    ]);
    assert.match(wide, /^selfsubjectaccessreviews\s.*\screate\s*$/m);
    const explain = await kubectlOk(admin, ["explain", "selfsubjectaccessreview.spec"]);
    assert.match(explain, /KIND:\s+SelfSubjectAccessReview/);
    assert.match(explain, /resourceAttributes/);
  });

  it("answers yes for the admin (exit 0), also for non-resource URLs", async () => {
    assert.equal((await kubectlOk(admin, ["auth", "can-i", "create", "pods"])).trim(), "yes");
    assert.equal((await kubectlOk(admin, ["auth", "can-i", "get", "/metrics"])).trim(), "yes");
    assert.equal(
      (await kubectlOk(admin, ["auth", "can-i", "delete", "nodes", "--all-namespaces"])).trim(),
      "yes",
    );
  });

  it("--list prints the admin's rules as a table", async () => {
    const out = await kubectlOk(admin, ["auth", "can-i", "--list"]);
    assert.match(out, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    assert.match(out, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    assert.match(out, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);
  });

  it("answers no for a user without bindings (exit 1), yes once bound", async () => {
    const no = await kubectl(jane, ["auth", "can-i", "list", "pods"]);
    assert.equal(no.stdout.trim(), "no", no.stderr);
    assert.equal(no.code, 1);
    await kubectlOk(admin, [
      "create",
      "role",
      "pod-lister",
      "--verb=list,get",
      "--resource=pods",
      "-n",
      "default",
    ]);
    await kubectlOk(admin, [
      "create",
      "rolebinding",
      "jane-pods",
      "--role=pod-lister",
      "--user=jane",
      "-n",
      "default",
    ]);
    let yes = "";
    for (let i = 0; i < 50 && yes !== "yes"; i++) {
      yes = (await kubectl(jane, ["auth", "can-i", "list", "pods"])).stdout.trim();
      if (yes !== "yes") await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(yes, "yes");
    const elsewhere = await kubectl(jane, ["auth", "can-i", "list", "pods", "-n", "kube-system"]);
    assert.equal(elsewhere.stdout.trim(), "no");
    const list = await kubectlOk(jane, ["auth", "can-i", "--list"]);
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[list get\]$/m);
  });

  it("answers for another user through a SubjectAccessReview (kubectl create -o yaml)", async () => {
    const denied = parseYaml(
      await kubectlOk(admin, ["create", "-f", "-", "-o", "yaml"], {
        input: SAR("jane", "delete", "pods", "default"),
      }),
    ) as { kind: string; status: { allowed: boolean } };
    assert.equal(denied.kind, "SubjectAccessReview");
    assert.equal(denied.status.allowed, false);
    const allowed = parseYaml(
      await kubectlOk(admin, ["create", "-f", "-", "-o", "yaml"], {
        input: SAR("jane", "list", "pods", "default"),
      }),
    ) as { status: { allowed: boolean; reason?: string } };
    assert.equal(allowed.status.allowed, true);
    assert.match(allowed.status.reason ?? "", /RoleBinding "jane-pods\/default"/);
  });

  it("impersonates with --as and --as-group when allowed, and refuses it otherwise", async () => {
    const who = await kubectlOk(admin, [
      "auth",
      "whoami",
      "--as",
      "bob",
      "--as-group",
      "devs",
      "-o",
      "jsonpath={.status.userInfo.username} {.status.userInfo.groups}",
    ]);
    assert.equal(who.trim(), 'bob ["devs","system:authenticated"]');
    const r = await kubectl(admin, ["auth", "can-i", "list", "pods", "--as", "bob"]);
    assert.equal(r.stdout.trim(), "no", r.stderr);
    assert.equal(r.code, 1);
    // jane holds no impersonate permission.
    const refused = await kubectl(jane, ["get", "pods", "--as", "bob"]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope/,
    );
  });

  it("refuses an invalid review with upstream's 422", async () => {
    const r = await kubectl(admin, ["create", "-f", "-"], {
      input: "apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {}\n",
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /spec\.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified/,
    );
  });
});
