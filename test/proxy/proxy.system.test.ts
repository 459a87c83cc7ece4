// System suite: the proxy against a real API server, with an in-memory
// iptables (no root): when it syncs, what it writes, what it deletes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { portProtoHash } from "../../src/proxy/names.js";
import { KubeProxy } from "../../src/proxy/proxy.js";
import { silentLogger } from "../../src/util/log.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { FakeIptables } from "./fake-iptables.js";
import { ep, service, slice } from "./fixtures.js";

const SVC = `KUBE-SVC-${portProtoHash("default/svc1:p80", "tcp")}`;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("proxy sync loop", () => {
  let api: TestApiServer | undefined;
  let rest: RestClient | undefined;
  const proxies: KubeProxy[] = [];

  before(async () => {
    api = await startTestApiServer();
    rest = new RestClient(loadKubeconfig({ path: api.adminKubeconfig }));
  });
  after(async () => {
    for (const p of proxies) await p.stop();
    rest?.close();
    await api?.stop();
  });

  const start = async (ipt: FakeIptables) => {
    const proxy = new KubeProxy(rest as RestClient, {
      hostname: "node-a",
      runner: ipt,
      minSyncPeriodMs: 50,
      log: silentLogger,
    });
    proxies.push(proxy);
    await proxy.start();
    return proxy;
  };

  it("writes what the API holds, inserts the jumps once, and deletes chains that went stale", async () => {
    const services = new ResourceClient(rest as RestClient, {
      group: "",
      version: "v1",
      resource: "services",
      namespaced: true,
    });
    const slices = new ResourceClient<EndpointSlice>(rest as RestClient, {
      group: "discovery.k8s.io",
      version: "v1",
      resource: "endpointslices",
      namespaced: true,
    });
    await services.create(service("default/svc1", {}), { namespace: "default" });
    await slices.create(slice("default/svc1", [ep("10.42.0.5"), ep("10.42.0.6")]), {
      namespace: "default",
    });
    const ipt = new FakeIptables();
    // A chain left by an earlier run for an endpoint that no longer exists.
    await ipt.run(["iptables-restore"], {
      input: "*nat\n:KUBE-SEP-GONEGONEGONEGONE - [0:0]\nCOMMIT\n",
    });
    const proxy = await start(ipt);
    assert.equal(proxy.syncCount, 1);
    assert.ok(ipt.chains("nat").includes(SVC));
    assert.ok(!ipt.chains("nat").includes("KUBE-SEP-GONEGONEGONEGONE"));
    assert.deepEqual(ipt.rules("nat", "PREROUTING"), [
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
    assert.equal(ipt.rules("nat", SVC).length, 2, "no cluster CIDR: just the two endpoints");

    // An endpoint goes: one partial sync, a restore of what changed only (no save, no jump checks).
    ipt.calls.length = 0;
    // (default also holds the API server's own `kubernetes` slice.)
    const [current] = (
      await slices.list({ namespace: "default", labelSelector: "kubernetes.io/service-name=svc1" })
    ).items;
    await slices.update(
      { ...(current as EndpointSlice), endpoints: [ep("10.42.0.5")] },
      { namespace: "default" },
    );
    await until("the endpoint's removal", () => ipt.rules("nat", SVC).length === 1);
    await proxy.settled();
    assert.deepEqual(
      ipt.calls.map((c) => c.split(" ")[0]),
      ["iptables-restore"],
    );
    assert.equal(proxy.fullSyncCount, 1, "only the first sync was full");
    const svc1Endpoints = ipt
      .chains("nat")
      .filter(
        (c) =>
          c.startsWith("KUBE-SEP-") && ipt.rules("nat", c).some((r) => r.includes("default/svc1")),
      );
    assert.equal(svc1Endpoints.length, 1);
  });

  it("ignores Service updates that change only metadata", async () => {
    const ipt = new FakeIptables();
    const proxy = await start(ipt);
    const services = new ResourceClient(rest as RestClient, {
      group: "",
      version: "v1",
      resource: "services",
      namespaced: true,
    });
    const before_ = proxy.syncCount;
    await services.patch(
      "svc1",
      { metadata: { annotations: { note: "x" } } },
      {
        namespace: "default",
        type: "merge",
      },
    );
    await new Promise((r) => setTimeout(r, 500));
    await proxy.settled();
    assert.equal(proxy.syncCount, before_);
  });

  it("retries a failed restore until it goes through", async () => {
    const ipt = new FakeIptables();
    ipt.failRestores = 2;
    const proxy = await start(ipt);
    assert.equal(proxy.syncCount, 0, "start resolves after the first attempt, failed or not");
    await until("a successful sync", () => proxy.syncCount === 1);
    assert.ok(ipt.chains("nat").includes(SVC));
  });
});
