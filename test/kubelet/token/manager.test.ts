import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ServiceAccountTokenKey, TokenManager } from "../../../src/kubelet/token/manager.js";
import { type IssuedToken, requiresRefresh } from "../../../src/kubelet/token/refresh.js";

const HOUR_MS = 3600_000;
const T0 = Date.parse("2026-03-01T12:00:00Z");

const issued = (expirationSeconds: number, issuedAtMs = T0): IssuedToken => ({
  token: "t",
  expiresAtMs: issuedAtMs + expirationSeconds * 1000,
  expirationSeconds,
});

describe("token refresh", () => {
  it("is due once 80% of the lifetime has passed", () => {
    const t = issued(3600);
    assert.equal(requiresRefresh(t, { nowMs: T0 + 0.79 * HOUR_MS, jitterMs: 0 }), false);
    assert.equal(requiresRefresh(t, { nowMs: T0 + 0.81 * HOUR_MS, jitterMs: 0 }), true);
  });

  it("is due a little earlier by the jitter", () => {
    const t = issued(3600);
    assert.equal(requiresRefresh(t, { nowMs: T0 + 0.8 * HOUR_MS - 5_000, jitterMs: 10_000 }), true);
  });

  it("is due after a day whatever the lifetime", () => {
    const t = issued(7 * 24 * 3600);
    assert.equal(requiresRefresh(t, { nowMs: T0 + 23 * HOUR_MS, jitterMs: 0 }), false);
    assert.equal(requiresRefresh(t, { nowMs: T0 + 25 * HOUR_MS, jitterMs: 0 }), true);
  });
});

const KEY: ServiceAccountTokenKey = {
  namespace: "default",
  serviceAccount: "default",
  expirationSeconds: 3607,
  pod: { name: "web", uid: "uid-1" },
};

function manager() {
  let now = T0;
  let n = 0;
  let fail = false;
  const requests: ServiceAccountTokenKey[] = [];
  const errors: unknown[] = [];
  const m = new TokenManager({
    now: () => now,
    jitter: () => 0,
    request: async (key) => {
      requests.push(key);
      if (fail) throw new Error("apiserver down");
      n++;
      return {
        token: `token-${n}`,
        expiresAtMs: now + key.expirationSeconds * 1000,
        expirationSeconds: key.expirationSeconds,
      };
    },
    onRefreshError: (_key, err) => errors.push(err),
  });
  return {
    m,
    requests,
    errors,
    advance: (ms: number) => {
      now += ms;
    },
    setFail: (f: boolean) => {
      fail = f;
    },
  };
}

describe("the kubelet's token manager", () => {
  it("hands out the same token until it is due for refresh, then a new one", async () => {
    const t = manager();
    assert.equal(await t.m.get(KEY), "token-1");
    t.advance(0.5 * HOUR_MS);
    assert.equal(await t.m.get(KEY), "token-1");
    assert.equal(t.requests.length, 1);
    t.advance(0.35 * HOUR_MS);
    assert.equal(await t.m.get(KEY), "token-2");
    assert.equal(t.requests.length, 2);
  });

  it("keeps one token per pod, audience and lifetime", async () => {
    const t = manager();
    await t.m.get(KEY);
    await t.m.get({ ...KEY, audience: "vault" });
    await t.m.get({ ...KEY, pod: { name: "web", uid: "uid-2" } });
    await t.m.get(KEY);
    assert.equal(t.m.size, 3);
    t.m.forgetPod("uid-2");
    assert.equal(t.m.size, 2);
  });

  it("asks once for concurrent requests of one token", async () => {
    const t = manager();
    const [a, b] = await Promise.all([t.m.get(KEY), t.m.get(KEY)]);
    assert.equal(a, b);
    assert.equal(t.requests.length, 1);
  });

  it("keeps the old token while a refresh fails, until it expires", async () => {
    const t = manager();
    await t.m.get(KEY);
    t.setFail(true);
    t.advance(0.9 * HOUR_MS);
    assert.equal(await t.m.get(KEY), "token-1");
    assert.equal(t.errors.length, 1);
    t.advance(0.2 * HOUR_MS);
    await assert.rejects(t.m.get(KEY), /apiserver down/);
    assert.equal(t.m.size, 0);
  });
});
