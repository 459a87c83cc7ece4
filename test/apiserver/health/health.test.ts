// Unit: the /healthz, /livez and /readyz answers upstream's generic API server gives.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  answerHealth,
  apiServerHealthChecks,
  type HealthCheck,
  PostStartHooks,
} from "../../../src/apiserver/handlers/health.js";

const ok = (name: string): HealthCheck => ({ name, check: async () => {} });
const failing = (name: string, why: string): HealthCheck => ({
  name,
  check: async () => {
    throw new Error(why);
  },
});
const ask = (checks: HealthCheck[], url: string) => {
  const u = new URL(url, "https://x");
  const m = /^\/(healthz|livez|readyz)(\/.*)?$/.exec(u.pathname);
  if (!m) throw new Error(url);
  return answerHealth(m[1] as "readyz", { checks, subpath: m[2] ?? "", query: u.searchParams });
};

describe("health endpoints", () => {
  it("answers a bare ok, and lists each check with ?verbose", async () => {
    const checks = [ok("ping"), ok("etcd"), ok("poststarthook/bootstrap-controller")];
    assert.deepEqual(await ask(checks, "/readyz"), { status: 200, body: "ok" });
    assert.deepEqual(await ask(checks, "/livez?verbose"), {
      status: 200,
      body: "[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\nlivez check passed\n",
    });
  });

  it("is verbose on failure, withholding the reason, with status 500", async () => {
    const answer = await ask([ok("ping"), failing("etcd", "connection refused")], "/readyz");
    assert.deepEqual(answer, {
      status: 500,
      body: "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n",
    });
  });

  it("skips excluded checks and warns about names that match none", async () => {
    const checks = [ok("ping"), failing("etcd", "down")];
    const answer = await ask(checks, "/readyz?verbose&exclude=etcd&exclude=nope");
    assert.deepEqual(answer, {
      status: 200,
      body: '[+]ping ok\n[+]etcd excluded: ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nreadyz check passed\n',
    });
  });

  it("runs one check by name, with its reason; an unknown name is not found", async () => {
    const checks = [ok("ping"), failing("poststarthook/bootstrap-controller", "not finished")];
    assert.deepEqual(await ask(checks, "/livez/ping"), { status: 200, body: "ok" });
    assert.deepEqual(await ask(checks, "/livez/poststarthook/bootstrap-controller"), {
      status: 500,
      body: "internal server error: not finished\n",
    });
    assert.equal(await ask(checks, "/livez/nope"), undefined);
  });

  it("fails a post-start hook until it is done, and refuses unknown hook names", async () => {
    const hooks = new PostStartHooks(["bootstrap-controller"]);
    const [check] = hooks.checks();
    assert.equal(check?.name, "poststarthook/bootstrap-controller");
    await assert.rejects(() => check?.check() ?? Promise.resolve(), /not finished/);
    hooks.done("bootstrap-controller");
    await check?.check();
    assert.throws(() => hooks.done("other"), /unknown post-start hook other/);
  });

  it("the API server's readiness fails on a hung store and once shutting down; liveness does not watch shutdown", async () => {
    let down = false;
    const hooks = new PostStartHooks([]);
    const checks = apiServerHealthChecks({
      storePing: () => new Promise(() => {}), // never answers
      hooks,
      shuttingDown: () => down,
      storeTimeoutMs: 20,
    });
    assert.deepEqual(
      checks.readyz.map((c) => c.name),
      ["ping", "etcd", "etcd-readiness", "shutdown"],
    );
    assert.deepEqual(
      checks.livez.map((c) => c.name),
      ["ping", "etcd"],
    );
    const r = await answerHealth("readyz", {
      checks: checks.readyz,
      subpath: "",
      query: new URLSearchParams("exclude=shutdown"),
    });
    assert.equal(r?.status, 500);
    assert.match(r?.body ?? "", /\[-\]etcd failed: reason withheld/);
    down = true;
    const s = await answerHealth("readyz", {
      checks: checks.readyz,
      subpath: "/shutdown",
      query: new URLSearchParams(),
    });
    assert.deepEqual(s, { status: 500, body: "internal server error: process is shutting down\n" });
  });
});
