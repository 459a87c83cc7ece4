// System suite: service account tokens end to end against a real API
// server with the full admission chain, driven by the real kubectl:
// TokenRequest (`kubectl create token`), authentication with the tokens
// (`kubectl auth whoami`), the ServiceAccount admission plugin's token
// volume, and issuer discovery.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalJWKSet, jwtVerify } from "jose";
import type { Pod } from "kubernetes-types/core/v1.js";
import { buildClaims } from "../../src/apiserver/authn/service-account-claims.js";
import { signingKeyFromPem } from "../../src/apiserver/authn/service-account-key.js";
import { ServiceAccountTokenIssuer } from "../../src/apiserver/authn/service-account-token.js";
import { kubeconfigYaml } from "../../src/pki/kubeconfig.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { type KubectlResult, kubectl, kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

const ISSUER = "https://kubernetes.default.svc.cluster.local";

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}

const RBAC_V1 = "rbac.authorization.k8s.io/v1";
const SERVICE_ACCOUNT_ACCESS = {
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: RBAC_V1,
      kind: "ClusterRole",
      metadata: { name: "test-service-accounts" },
      rules: [
        { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"] },
        {
          verbs: ["create"],
          apiGroups: ["authentication.k8s.io"],
          resources: ["selfsubjectreviews"],
        },
        { verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version"] },
      ],
    },
    {
      apiVersion: RBAC_V1,
      kind: "ClusterRoleBinding",
      metadata: { name: "test-service-accounts" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "test-service-accounts",
      },
      subjects: [
        { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:serviceaccounts" },
      ],
    },
  ],
};

describe("service account tokens", () => {
  const dir = tempDir("sa-tokens");
  let server: TestApiServer;
  let ca: string;
  let n = 0;
  const k = (args: readonly string[], input?: string) =>
    kubectlOk(server.adminKubeconfig, args, input === undefined ? {} : { input });
  const kRaw = (args: readonly string[]) => kubectl(server.adminKubeconfig, args);
  const createToken = async (args: readonly string[]) =>
    (await k(["create", "token", ...args])).trim();

  /** kubectl with only the token as credential (a client certificate would win). */
  const asToken = (token: string, args: readonly string[]): Promise<KubectlResult> => {
    const path = join(dir.path, `token-${++n}.kubeconfig`);
    writeFileSync(path, kubeconfigYaml({ server: server.url, caCert: ca, user: "sa", token }));
    return kubectl(path, args);
  };
  const whoami = async (token: string) => {
    const r = await asToken(token, ["auth", "whoami", "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).status.userInfo as {
      username: string;
      uid?: string;
      groups: string[];
      extra?: Record<string, string[]>;
    };
  };
  /** The HTTP status of GET path with the token as bearer credential. */
  const statusWith = (token: string, path = "/api/v1/namespaces/default/pods") =>
    new Promise<number>((resolve, reject) => {
      https
        .get(
          `${server.url}${path}`,
          { ca, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on("error", reject);
    });
  const uidOf = async (kind: string, name: string, ns = "default") =>
    (await k(["get", kind, name, "-n", ns, "-o", "jsonpath={.metadata.uid}"])).trim();
  const createPod = async (name: string, spec: Record<string, unknown> = {}, ns = "default") =>
    JSON.parse(
      await k(
        ["create", "-o", "json", "-f", "-"],
        JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name, namespace: ns },
          spec: { containers: [{ name: "app", image: "busybox" }], ...spec },
        }),
      ),
    ) as Pod;

  before(async () => {
    server = await startTestApiServer({
      dataDir: join(dir.path, "data"),
      disableAdmissionPlugins: [],
    });
    ca = readFileSync(server.caCertPath, "utf8");
    // No controller manager here: make the accounts the service account controller would.
    await k(["create", "serviceaccount", "default"]);
    await k(["create", "namespace", "team"]);
    // With RBAC, an authenticated account may only do what it is granted: here what the
    // tests ask of the tokens (discovery and whoami, as the default policy grants, and pods).
    await k(["apply", "-f", "-"], JSON.stringify(SERVICE_ACCOUNT_ACCESS));
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  it("kubectl create token issues a JWT with upstream's claims, valid for an hour", async () => {
    const token = await createToken(["default"]);
    const c = claimsOf(token);
    assert.equal(c.iss, ISSUER);
    assert.equal(c.sub, "system:serviceaccount:default:default");
    assert.deepEqual(c.aud, [ISSUER]);
    assert.equal((c.exp as number) - (c.iat as number), 3600);
    assert.equal(c.nbf, c.iat);
    assert.match(String(c.jti), /^[0-9a-f-]{36}$/);
    assert.deepEqual(c["kubernetes.io"], {
      namespace: "default",
      serviceaccount: { name: "default", uid: await uidOf("serviceaccount", "default") },
    });
  });

  it("a token authenticates as its service account", async () => {
    const token = await createToken(["default"]);
    const user = await whoami(token);
    assert.equal(user.username, "system:serviceaccount:default:default");
    assert.equal(user.uid, await uidOf("serviceaccount", "default"));
    assert.deepEqual(user.groups, [
      "system:serviceaccounts",
      "system:serviceaccounts:default",
      "system:authenticated",
    ]);
    const table = await asToken(token, ["auth", "whoami"]);
    assert.match(table.stdout, /Username\s+system:serviceaccount:default:default/);
    assert.equal((await asToken(token, ["get", "pods"])).code, 0);
  });

  it("tokens for another audience, expired ones and forged ones get 401", async () => {
    assert.equal(await statusWith(await createToken(["default", "--audience", "vault"])), 401);
    const key = signingKeyFromPem(readFileSync(join(server.dataDir, "tls", "sa.key"), "utf8"));
    const issuer = new ServiceAccountTokenIssuer({ key, issuer: ISSUER });
    const claims = (now: Date) =>
      buildClaims({
        namespace: "default",
        serviceAccount: { name: "default", uid: "" },
        binding: {},
        audiences: [ISSUER],
        expirationSeconds: 600,
        now,
        jti: "test",
      });
    const uid = await uidOf("serviceaccount", "default");
    const valid = await issuer.sign({
      ...claims(new Date()),
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "default", uid } },
    });
    assert.equal(await statusWith(valid), 200, "a token signed by the server's key is accepted");
    const expired = await issuer.sign({
      ...claims(new Date(Date.now() - 2 * 3600_000)),
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "default", uid } },
    });
    assert.equal(await statusWith(expired), 401);
    const r = await asToken(expired, ["get", "pods"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server \(Unauthorized\)/);
    const [header, , signature] = valid.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(valid), sub: "system:serviceaccount:kube-system:default" })).toString("base64url")}.${signature}`;
    assert.equal(await statusWith(forged), 401);
    // Even the public health endpoints refuse a bad credential, as upstream does.
    assert.equal(await statusWith(expired, "/healthz"), 401);
  });

  it("a token bound to a pod names it, and stops working when the pod is deleted", async () => {
    const pod = await createPod("bound");
    const token = await createToken([
      "default",
      "--bound-object-kind=Pod",
      "--bound-object-name=bound",
      `--bound-object-uid=${pod.metadata?.uid}`,
    ]);
    assert.deepEqual((claimsOf(token)["kubernetes.io"] as { pod?: unknown }).pod, {
      name: "bound",
      uid: pod.metadata?.uid,
    });
    const user = await whoami(token);
    assert.deepEqual(user.extra?.["authentication.kubernetes.io/pod-name"], ["bound"]);
    await k(["delete", "pod", "bound", "--grace-period=0", "--force"]);
    assert.equal(await statusWith(token), 401);
    // A pod of the same name is another pod: the token stays invalid.
    await createPod("bound");
    assert.equal(await statusWith(token), 401);
  });

  it("a token bound to a secret stops working when the secret is deleted", async () => {
    await k(["create", "secret", "generic", "session", "--from-literal=k=v"]);
    const token = await createToken([
      "default",
      "--bound-object-kind=Secret",
      "--bound-object-name=session",
    ]);
    assert.deepEqual((claimsOf(token)["kubernetes.io"] as { secret?: unknown }).secret, {
      name: "session",
      uid: await uidOf("secret", "session"),
    });
    assert.equal(await statusWith(token), 200);
    await k(["delete", "secret", "session"]);
    assert.equal(await statusWith(token), 401);
  });

  it("a token bound to a node stops working when the node is deleted", async () => {
    await k(
      ["create", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "worker-9" } }),
    );
    const token = await createToken([
      "default",
      "--bound-object-kind=Node",
      "--bound-object-name=worker-9",
    ]);
    assert.deepEqual((claimsOf(token)["kubernetes.io"] as { node?: unknown }).node, {
      name: "worker-9",
      uid: (await k(["get", "node", "worker-9", "-o", "jsonpath={.metadata.uid}"])).trim(),
    });
    assert.equal(await statusWith(token), 200);
    await k(["delete", "node", "worker-9"]);
    assert.equal(await statusWith(token), 401);
  });

  it("a token of a deleted or recreated service account gets 401", async () => {
    await k(["create", "serviceaccount", "robot"]);
    const token = await createToken(["robot"]);
    assert.equal(await statusWith(token), 200);
    await k(["delete", "serviceaccount", "robot"]);
    assert.equal(await statusWith(token), 401);
    await k(["create", "serviceaccount", "robot"]);
    assert.equal(await statusWith(token), 401);
  });

  it("TokenRequest refuses what upstream refuses", async () => {
    const missing = await kRaw(["create", "token", "nobody"]);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
    const short = await kRaw(["create", "token", "default", "--duration=5m"]);
    assert.match(
      short.stderr,
      /TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/,
    );
    const noPod = await kRaw([
      "create",
      "token",
      "default",
      "--bound-object-kind=Pod",
      "--bound-object-name=ghost",
    ]);
    assert.match(noPod.stderr, /pods "ghost" not found/);
    await k(["create", "serviceaccount", "other"]);
    await createPod("runs-as-other", { serviceAccountName: "other" });
    const wrongAccount = await kRaw([
      "create",
      "token",
      "default",
      "--bound-object-kind=Pod",
      "--bound-object-name=runs-as-other",
    ]);
    assert.match(
      wrongAccount.stderr,
      /cannot bind token for serviceaccount "default" to pod running with different serviceaccount name/,
    );
    const staleUid = await kRaw([
      "create",
      "token",
      "other",
      "--bound-object-kind=Pod",
      "--bound-object-name=runs-as-other",
      "--bound-object-uid=0000",
    ]);
    assert.match(staleUid.stderr, /the UID in the bound object reference \(0000\) does not match/);
  });

  it("extends the injected volume's 3607 s pod-bound tokens to a year, warning after 3607 s", async () => {
    const pod = await createPod("extended");
    const body = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {
        expirationSeconds: 3607,
        boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "extended", uid: pod.metadata?.uid },
      },
    };
    const out = JSON.parse(
      await k(
        ["create", "--raw", "/api/v1/namespaces/default/serviceaccounts/default/token", "-f", "-"],
        JSON.stringify(body),
      ),
    );
    assert.equal(out.kind, "TokenRequest");
    assert.equal(out.spec.expirationSeconds, 3607);
    const lifetime = Date.parse(out.status.expirationTimestamp) - Date.now();
    assert.ok(
      lifetime > 3500_000 && lifetime <= 3607_000,
      `status says about an hour: ${lifetime}`,
    );
    const c = claimsOf(out.status.token);
    assert.equal((c.exp as number) - (c.iat as number), 365 * 24 * 3600);
    assert.equal((c["kubernetes.io"] as { warnafter: number }).warnafter, (c.iat as number) + 3607);
  });

  it("gives a new pod the kube-api-access volume, mounted read-only in every container", async () => {
    const pod = await createPod("mounted", {
      initContainers: [{ name: "init", image: "busybox" }],
      containers: [
        { name: "a", image: "busybox" },
        { name: "b", image: "busybox" },
      ],
    });
    const volume = pod.spec?.volumes?.find((v) => v.name.startsWith("kube-api-access-"));
    assert.match(volume?.name ?? "", /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume?.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [
              {
                path: "namespace",
                fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" },
              },
            ],
          },
        },
      ],
    });
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      assert.deepEqual(c.volumeMounts, [
        {
          name: volume?.name,
          readOnly: true,
          mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
        },
      ]);
    }
    assert.equal(pod.spec?.serviceAccountName, "default");
  });

  it("mounts no token when the pod or its service account turns automounting off", async () => {
    const optOut = await createPod("opt-out", { automountServiceAccountToken: false });
    assert.equal(optOut.spec?.volumes, undefined);
    assert.equal(optOut.spec?.containers[0]?.volumeMounts, undefined);
    await k(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "quiet", namespace: "default" },
        automountServiceAccountToken: false,
      }),
    );
    const quiet = await createPod("quiet", { serviceAccountName: "quiet" });
    assert.equal(quiet.spec?.volumes, undefined);
    const overridden = await createPod("overridden", {
      serviceAccountName: "quiet",
      automountServiceAccountToken: true,
    });
    assert.equal(overridden.spec?.volumes?.length, 1);
  });

  it("refuses a pod whose service account does not exist", async () => {
    const r = await kRaw(["run", "lost", "--image=busybox", "-n", "team"]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /pods "lost" is forbidden: error looking up service account team\/default: serviceaccount "default" not found/,
    );
  });

  it("publishes the issuer's keys; they verify the tokens", async () => {
    const config = JSON.parse(await k(["get", "--raw", "/.well-known/openid-configuration"]));
    assert.equal(config.issuer, ISSUER);
    assert.match(config.jwks_uri, /^https:\/\/.*\/openid\/v1\/jwks$/);
    const jwks = JSON.parse(await k(["get", "--raw", "/openid/v1/jwks"]));
    const token = await createToken(["default"]);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: ISSUER,
    });
    assert.equal(payload.sub, "system:serviceaccount:default:default");
  });

  it("keeps its signing key across a restart: tokens issued before still authenticate", async () => {
    const token = await createToken(["default"]);
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestApiServer({ dataDir, disableAdmissionPlugins: [] });
    assert.equal((await whoami(token)).username, "system:serviceaccount:default:default");
  });
});
