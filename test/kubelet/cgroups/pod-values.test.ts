import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import {
  cgroupFiles,
  kubepodsPath,
  podCgroupPath,
  podCgroupResources,
  podUidOf,
  requirementsOf,
  tierPaths,
} from "../../../src/kubelet/cgroups/pod-values.js";

const pod = (containers: Container[], extra: object = {}): Pod => ({
  metadata: { name: "p", namespace: "default", uid: "1234-abcd" },
  spec: { containers, ...extra },
});
const c = (name: string, resources?: Container["resources"]): Container => ({
  name,
  image: "busybox",
  ...(resources ? { resources } : {}),
});

describe("pod cgroup names and values", () => {
  it("names kubepods under the cgroup root, tiers below it, Guaranteed pods directly in it", () => {
    assert.equal(kubepodsPath("/"), "/kubepods");
    assert.equal(kubepodsPath("/k8ts-test-1"), "/k8ts-test-1/kubepods");
    assert.deepEqual(tierPaths("/"), {
      Guaranteed: "/kubepods",
      Burstable: "/kubepods/burstable",
      BestEffort: "/kubepods/besteffort",
    });
    const limits = { cpu: "1", memory: "1Gi" };
    assert.equal(podCgroupPath("/", pod([c("a", { limits })])), "/kubepods/pod1234-abcd");
    assert.equal(
      podCgroupPath("/", pod([c("a", { requests: { cpu: "1" } })])),
      "/kubepods/burstable/pod1234-abcd",
    );
    assert.equal(podCgroupPath("/", pod([c("a")])), "/kubepods/besteffort/pod1234-abcd");
    assert.equal(podUidOf("pod1234-abcd"), "1234-abcd");
    assert.equal(podUidOf("0123abcd"), undefined, "a container's cgroup is no pod");
  });

  it("takes a limit alone as the request too", () => {
    assert.deepEqual(requirementsOf(c("a", { limits: { cpu: "250m", memory: "32Mi" } })), {
      cpuRequestMilli: 250,
      cpuLimitMilli: 250,
      memoryRequestBytes: 32 * 1024 * 1024,
      memoryLimitBytes: 32 * 1024 * 1024,
    });
  });

  it("sums a Burstable pod's requests into shares and its limits into quota and memory", () => {
    const p = pod([
      c("a", {
        requests: { cpu: "100m", memory: "32Mi" },
        limits: { cpu: "500m", memory: "64Mi" },
      }),
      c("b", { limits: { cpu: "250m", memory: "32Mi" } }),
    ]);
    const r = podCgroupResources(p);
    assert.deepEqual(r, {
      cpu: { shares: 358, quota: 75000, period: 100000 },
      memory: { limit: 96 * 1024 * 1024 },
    });
    assert.deepEqual(cgroupFiles(r, false), {
      "cpu/cpu.shares": "358",
      "cpu/cpu.cfs_period_us": "100000",
      "cpu/cpu.cfs_quota_us": "75000",
      "memory/memory.limit_in_bytes": "100663296",
    });
    assert.deepEqual(cgroupFiles(r, true), {
      "cpu.weight": "14",
      "cpu.max": "75000 100000",
      "memory.max": "100663296",
    });
  });

  it("leaves out the limits a Burstable pod does not declare for every container", () => {
    const p = pod([
      c("a", { limits: { cpu: "500m", memory: "64Mi" } }),
      c("b", { requests: { cpu: "100m" } }),
    ]);
    assert.deepEqual(podCgroupResources(p), { cpu: { shares: 614 } });
  });

  it("gives a BestEffort pod the smallest weight and no limits; counts init containers and overhead", () => {
    assert.deepEqual(podCgroupResources(pod([c("a")])), { cpu: { shares: 2 } });
    const p = pod([c("a", { limits: { cpu: "100m", memory: "16Mi" } })], {
      initContainers: [c("init", { limits: { cpu: "400m", memory: "8Mi" } })],
      overhead: { cpu: "50m", memory: "1Mi" },
    });
    assert.deepEqual(podCgroupResources(p), {
      cpu: { shares: 460, quota: 45000, period: 100000 },
      memory: { limit: 17 * 1024 * 1024 },
    });
  });
});
