// System: `kubectl get componentstatuses` against a real API server, with leader Leases held
// (as a scheduler and controller manager elected hold them) and without.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { microTime } from "../../../src/client/leaderelection/leader-election.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { kubectl, kubectlOk } from "../../support/kubectl.js";

describe("kubectl get componentstatuses", () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server?.stop();
  });

  it("reports the scheduler and controller manager Unhealthy with no leader, etcd-0 Healthy", async () => {
    const r = await kubectl(server.adminKubeconfig, ["get", "cs"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
    assert.match(r.stdout, /^NAME\s+STATUS\s+MESSAGE\s+ERROR$/m);
    assert.match(
      r.stdout,
      /^scheduler\s+Unhealthy\s+no leader: Lease kube-system\/kube-scheduler does not exist/m,
    );
    assert.match(r.stdout, /^controller-manager\s+Unhealthy\s+no leader/m);
    assert.match(r.stdout, /^etcd-0\s+Healthy\s+ok/m);
  });

  it("reports a component Healthy while its Lease is held and fresh, and serves get by name", async () => {
    const kc = server.adminKubeconfig;
    for (const name of ["kube-scheduler", "kube-controller-manager"]) {
      await kubectlOk(kc, ["apply", "-f", "-"], {
        input: JSON.stringify({
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace: "kube-system" },
          spec: {
            holderIdentity: "test_holder",
            leaseDurationSeconds: 60,
            renewTime: microTime(Date.now()),
          },
        }),
      });
    }
    const table = await kubectlOk(kc, ["get", "componentstatuses"]);
    assert.match(table, /^scheduler\s+Healthy\s+ok/m);
    assert.match(table, /^controller-manager\s+Healthy\s+ok/m);
    const one = JSON.parse(await kubectlOk(kc, ["get", "cs", "etcd-0", "-o", "json"]));
    assert.deepEqual(one.conditions, [{ type: "Healthy", status: "True", message: "ok" }]);
    const missing = await kubectl(kc, ["get", "cs", "nope"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /componentstatuses "nope" not found/);
    const write = await kubectl(kc, ["delete", "cs", "scheduler"]);
    assert.notEqual(write.code, 0, "read-only");
  });
});
