// System: `kubectl get --raw` on /readyz, /livez and /healthz of a real API server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { kubectl, kubectlOk } from "../../support/kubectl.js";

describe("API server health endpoints through kubectl", () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server?.stop();
  });

  it("lists the named checks with ?verbose, as upstream", async () => {
    const ready = await kubectlOk(server.adminKubeconfig, ["get", "--raw", "/readyz?verbose"]);
    assert.match(ready, /^\[\+\]ping ok$/m);
    assert.match(ready, /^\[\+\]etcd ok$/m);
    assert.match(ready, /^\[\+\]poststarthook\/bootstrap-controller ok$/m);
    assert.match(ready, /^\[\+\]shutdown ok$/m);
    assert.match(ready, /readyz check passed\n$/);
    const live = await kubectlOk(server.adminKubeconfig, ["get", "--raw", "/livez?verbose"]);
    assert.match(live, /^\[\+\]etcd ok$/m);
    assert.match(live, /livez check passed\n$/);
    assert.equal(await kubectlOk(server.adminKubeconfig, ["get", "--raw", "/healthz"]), "ok");
  });

  it("excludes a check by name, runs one alone, and 404s an unknown one", async () => {
    const kc = server.adminKubeconfig;
    const r = await kubectlOk(kc, ["get", "--raw", "/readyz?verbose&exclude=etcd"]);
    assert.match(r, /^\[\+\]etcd excluded: ok$/m);
    assert.equal(await kubectlOk(kc, ["get", "--raw", "/livez/etcd"]), "ok");
    const missing = await kubectl(kc, ["get", "--raw", "/livez/no-such-check"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/i);
  });
});
