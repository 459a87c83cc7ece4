// Unit: a control-plane component's health from its leader Lease, as `kubectl get cs` shows it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentStatus, leaseHealth } from "../../../src/apiserver/handlers/component-status.js";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const lease = (spec: Record<string, unknown>) => ({ metadata: { name: "kube-scheduler" }, spec });

describe("component health from leader Leases", () => {
  it("is healthy while a holder renewed within the lease duration", () => {
    const held = lease({
      holderIdentity: "host_k8ts-server",
      leaseDurationSeconds: 15,
      renewTime: "2026-11-22T11:59:50.000000Z",
    });
    assert.deepEqual(leaseHealth("kube-scheduler", held, NOW), { healthy: true, message: "ok" });
  });

  it("is unhealthy with no Lease, a released one, or one not renewed in time", () => {
    assert.deepEqual(leaseHealth("kube-scheduler", undefined, NOW), {
      healthy: false,
      message: "no leader: Lease kube-system/kube-scheduler does not exist",
    });
    const released = lease({ holderIdentity: "", leaseDurationSeconds: 1 });
    assert.match(leaseHealth("kube-scheduler", released, NOW).message, /has no holder/);
    const stale = lease({
      holderIdentity: "host_k8ts-server",
      leaseDurationSeconds: 15,
      renewTime: "2026-11-22T11:59:40.000000Z",
    });
    assert.deepEqual(leaseHealth("kube-scheduler", stale, NOW), {
      healthy: false,
      message:
        "leader host_k8ts-server has not renewed Lease kube-system/kube-scheduler since 2026-11-22T11:59:40.000000Z",
    });
  });

  it("builds upstream's object: one Healthy condition", () => {
    assert.deepEqual(componentStatus("etcd-0", { healthy: true, message: "ok" }), {
      kind: "ComponentStatus",
      apiVersion: "v1",
      metadata: { name: "etcd-0" },
      conditions: [{ type: "Healthy", status: "True", message: "ok" }],
    });
  });
});
