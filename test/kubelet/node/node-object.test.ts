import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MachineInfo } from "../../../src/kubelet/node/machine-info.js";
import { initialNode, nodeStatus, statusChanged } from "../../../src/kubelet/node/node-object.js";

const info: MachineInfo = {
  cpus: 2,
  memoryBytes: 4 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  kernelVersion: "6.1.0",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  architecture: "amd64",
  machineID: "m",
  systemUUID: "s",
  bootID: "b",
  hostname: "h",
  internalIPs: ["192.0.2.7"],
};
const opts = {
  nodeName: "n1",
  runtimeVersion: "k8ts://0.1.0",
  labels: { role: "x" },
  taints: [{ key: "k", effect: "NoSchedule" }],
};

describe("node object", () => {
  it("capacity, allocatable less the eviction threshold, labels, taints, addresses, nodeInfo", () => {
    const n = initialNode(info, opts, 0);
    assert.deepEqual(n.metadata?.labels, {
      "kubernetes.io/hostname": "n1",
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "beta.kubernetes.io/arch": "amd64",
      role: "x",
    });
    assert.deepEqual(n.spec?.taints, [{ key: "k", effect: "NoSchedule" }]);
    assert.equal(n.status?.capacity?.memory, "4194304Ki");
    assert.equal(n.status?.allocatable?.memory, `${4194304 - 102400}Ki`);
    assert.equal(n.status?.capacity?.pods, "110");
    assert.deepEqual(n.status?.addresses, [
      { type: "InternalIP", address: "192.0.2.7" },
      { type: "Hostname", address: "n1" },
    ]);
    assert.equal(n.status?.nodeInfo?.kubeletVersion, "v1.32.0");
    assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, "k8ts://0.1.0");
  });

  it("conditions keep lastTransitionTime until their status changes; heartbeats alone are no change", () => {
    const a = nodeStatus(info, opts, undefined, 1000, { ready: true });
    const b = nodeStatus(info, opts, a, 60_000, { ready: true });
    assert.equal(statusChanged(a, b), false);
    const ready = (s: typeof a) => s.conditions?.find((c) => c.type === "Ready");
    assert.equal(ready(b)?.lastTransitionTime, ready(a)?.lastTransitionTime);
    assert.notEqual(ready(b)?.lastHeartbeatTime, ready(a)?.lastHeartbeatTime);
    const c = nodeStatus(info, opts, b, 90_000, { ready: false, message: "network not ready" });
    assert.equal(statusChanged(b, c), true);
    assert.equal(ready(c)?.reason, "KubeletNotReady");
    assert.notEqual(ready(c)?.lastTransitionTime, ready(b)?.lastTransitionTime);
  });
});
