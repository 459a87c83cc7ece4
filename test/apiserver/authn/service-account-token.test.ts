import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  type BoundResource,
  validateToken,
} from "../../../src/apiserver/authn/service-account-authenticator.js";
import {
  acceptedAudiences,
  buildClaims,
  readKubernetesClaim,
} from "../../../src/apiserver/authn/service-account-claims.js";
import {
  ensureServiceAccountKey,
  signingKeyFromPem,
} from "../../../src/apiserver/authn/service-account-key.js";
import {
  InvalidTokenError,
  ServiceAccountTokenIssuer,
} from "../../../src/apiserver/authn/service-account-token.js";
import { tempDir } from "../../support/tmp.js";

const ISSUER = "https://kubernetes.default.svc.cluster.local";
const NOW = new Date("2026-03-01T12:00:00Z");
const SA = { name: "builder", uid: "sa-uid" };
const POD = { name: "web-0", uid: "pod-uid" };
const NODE = { name: "node-1", uid: "node-uid" };

function ecKeyPem(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

const key = signingKeyFromPem(ecKeyPem());
const issuer = new ServiceAccountTokenIssuer({ key, issuer: ISSUER });

function claims(opts: { expirationSeconds?: number; audiences?: string[]; now?: Date } = {}) {
  return buildClaims({
    namespace: "ci",
    serviceAccount: SA,
    binding: { pod: POD, node: NODE },
    audiences: opts.audiences ?? [ISSUER],
    expirationSeconds: opts.expirationSeconds ?? 3600,
    now: opts.now ?? NOW,
    jti: "jti-1",
  });
}

/** A store of the objects tokens name: key `<resource>/<namespace>/<name>`. */
function getter(objects: Record<string, { uid: string; deletionTimestamp?: string }>) {
  return async (ref: { resource: BoundResource; namespace: string; name: string }) => {
    const o = objects[`${ref.resource}/${ref.namespace}/${ref.name}`];
    return o ? ({ metadata: { name: ref.name, ...o } } as KubeObject) : undefined;
  };
}

const LIVE = {
  "serviceaccounts/ci/builder": { uid: "sa-uid" },
  "pods/ci/web-0": { uid: "pod-uid" },
};

describe("service account token claims", () => {
  it("name the account, the bound pod and its node, valid from now for the lifetime asked", () => {
    const c = claims();
    assert.equal(c.sub, "system:serviceaccount:ci:builder");
    assert.deepEqual(c.aud, [ISSUER]);
    assert.equal(c.exp - c.iat, 3600);
    assert.equal(c.nbf, c.iat);
    assert.deepEqual(c["kubernetes.io"], {
      namespace: "ci",
      serviceaccount: SA,
      pod: POD,
      node: NODE,
    });
  });

  it("record warnafter for extended tokens and refuse two bound objects", () => {
    const c = buildClaims({
      namespace: "ci",
      serviceAccount: SA,
      binding: { pod: POD },
      audiences: [ISSUER],
      expirationSeconds: 365 * 86400,
      warnAfterSeconds: 3607,
      now: NOW,
      jti: "j",
    });
    assert.equal(c["kubernetes.io"].warnafter, c.iat + 3607);
    assert.throws(() =>
      buildClaims({
        namespace: "ci",
        serviceAccount: SA,
        binding: { pod: POD, secret: { name: "s", uid: "u" } },
        audiences: [],
        expirationSeconds: 600,
        now: NOW,
        jti: "j",
      }),
    );
  });

  it("are read back only when sub and the private claim agree", () => {
    const c = claims();
    assert.deepEqual(readKubernetesClaim({ ...c }).pod, POD);
    assert.throws(() => readKubernetesClaim({ ...c, sub: "system:serviceaccount:ci:other" }));
    assert.throws(() => readKubernetesClaim({ sub: c.sub }));
  });

  it("accept the server's audiences; a token without any counts as the server's", () => {
    assert.deepEqual(acceptedAudiences(["a", "b"], ["b", "c"]), ["b"]);
    assert.deepEqual(acceptedAudiences([], ["b"]), ["b"]);
    assert.deepEqual(acceptedAudiences(["vault"], ["b"]), []);
  });
});

describe("the token issuer", () => {
  it("signs tokens it verifies, with the key id in the header", async () => {
    const token = await issuer.sign(claims());
    const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString());
    assert.deepEqual(header, { alg: "ES256", kid: key.kid });
    const verified = await issuer.verify(token, { now: NOW });
    assert.equal(verified?.claim.serviceaccount.name, "builder");
    assert.equal(verified?.jti, "jti-1");
    assert.deepEqual(verified?.audiences, [ISSUER]);
  });

  it("leaves tokens of other issuers and non-JWTs to other authenticators", async () => {
    const other = new ServiceAccountTokenIssuer({ key, issuer: "https://elsewhere" });
    assert.equal(await issuer.verify(await other.sign(claims()), { now: NOW }), undefined);
    assert.equal(await issuer.verify("abc123", { now: NOW }), undefined);
  });

  it("rejects expired tokens beyond a minute of leeway", async () => {
    const token = await issuer.sign(claims({ expirationSeconds: 600 }));
    const at = (s: number) => ({ now: new Date(NOW.getTime() + s * 1000) });
    assert.ok(await issuer.verify(token, at(630)));
    await assert.rejects(issuer.verify(token, at(700)), /service account token has expired/);
  });

  it("rejects tokens for audiences the server is not, and tokens signed by another key", async () => {
    await assert.rejects(
      issuer.verify(await issuer.sign(claims({ audiences: ["vault"] })), { now: NOW }),
      /token audiences \["vault"\] is invalid/,
    );
    const forger = new ServiceAccountTokenIssuer({
      key: signingKeyFromPem(ecKeyPem()),
      issuer: ISSUER,
    });
    await assert.rejects(
      issuer.verify(await forger.sign(claims()), { now: NOW }),
      InvalidTokenError,
    );
  });

  it("publishes its key as a JWKS and an OpenID configuration", async () => {
    const jwks = await issuer.jwks();
    assert.equal(jwks.keys.length, 1);
    assert.deepEqual(
      { ...(jwks.keys[0] as Record<string, unknown>), x: undefined, y: undefined },
      {
        use: "sig",
        kid: key.kid,
        alg: "ES256",
        kty: "EC",
        crv: "P-256",
        x: undefined,
        y: undefined,
      },
    );
    assert.deepEqual(issuer.discovery("https://10.0.0.1:6443/openid/v1/jwks"), {
      issuer: ISSUER,
      jwks_uri: "https://10.0.0.1:6443/openid/v1/jwks",
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["ES256"],
    });
  });

  it("signs with RS256 when given an RSA key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsa = signingKeyFromPem(privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    assert.equal(rsa.alg, "RS256");
    const rsaIssuer = new ServiceAccountTokenIssuer({ key: rsa, issuer: ISSUER });
    assert.ok(await rsaIssuer.verify(await rsaIssuer.sign(claims()), { now: NOW }));
  });
});

describe("service account token validation", () => {
  const validate = async (objects: Record<string, { uid: string; deletionTimestamp?: string }>) =>
    validateToken(await issuer.sign(claims()), { issuer, get: getter(objects), now: NOW });

  it("authenticates as the service account, with its groups and the pod in extra", async () => {
    const result = await validate(LIVE);
    assert.deepEqual(result?.user, {
      name: "system:serviceaccount:ci:builder",
      uid: "sa-uid",
      groups: ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"],
      extra: {
        "authentication.kubernetes.io/pod-name": ["web-0"],
        "authentication.kubernetes.io/pod-uid": ["pod-uid"],
        "authentication.kubernetes.io/node-name": ["node-1"],
        "authentication.kubernetes.io/node-uid": ["node-uid"],
        "authentication.kubernetes.io/credential-id": ["JTI=jti-1"],
      },
    });
  });

  it("rejects the token once its service account is gone or replaced", async () => {
    await assert.rejects(
      validate({ "pods/ci/web-0": { uid: "pod-uid" } }),
      /service account ci\/builder has been deleted/,
    );
    await assert.rejects(
      validate({ ...LIVE, "serviceaccounts/ci/builder": { uid: "new-uid" } }),
      /service account UID \(new-uid\) does not match claim \(sa-uid\)/,
    );
  });

  it("rejects the token once its pod is gone, replaced, or deleted over a minute ago", async () => {
    const sa = { "serviceaccounts/ci/builder": { uid: "sa-uid" } };
    await assert.rejects(validate(sa), /pod ci\/web-0 has been deleted/);
    await assert.rejects(
      validate({ ...sa, "pods/ci/web-0": { uid: "other" } }),
      /pod UID \(other\) does not match claim \(pod-uid\)/,
    );
    await assert.rejects(
      validate({
        ...sa,
        "pods/ci/web-0": { uid: "pod-uid", deletionTimestamp: "2026-03-01T11:58:00Z" },
      }),
      /is being deleted/,
    );
    // Deleted moments ago: the pod is still shutting down and may use its token.
    assert.ok(
      await validate({
        ...sa,
        "pods/ci/web-0": { uid: "pod-uid", deletionTimestamp: "2026-03-01T11:59:50Z" },
      }),
    );
  });
});

describe("the service account signing key", () => {
  it("is made once under tls/ and reused on restart", async () => {
    const dir = tempDir("sa-key");
    try {
      const first = await ensureServiceAccountKey({ dataDir: dir.path });
      const second = await ensureServiceAccountKey({ dataDir: dir.path });
      assert.equal(first.kid, second.kid);
      assert.equal(statSync(join(dir.path, "tls", "sa.key")).mode & 0o777, 0o600);
      assert.match(readFileSync(join(dir.path, "tls", "sa.pub"), "utf8"), /BEGIN PUBLIC KEY/);
    } finally {
      dir.remove();
    }
  });
});
