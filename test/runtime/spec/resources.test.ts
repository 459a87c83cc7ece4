import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  containerResources,
  milliCpuToQuota,
  milliCpuToShares,
  ociResources,
  oomScoreAdj,
  podResources,
  qosClass,
} from "../../../src/runtime/spec/resources.js";

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

describe("cpu conversions", () => {
  const shares: [number, number][] = [
    [0, 2],
    [1, 2],
    [2, 2],
    [100, 102],
    [200, 204],
    [250, 256],
    [500, 512],
    [1000, 1024],
    [1500, 1536],
    [256000, 262144],
    [300000, 262144],
  ];
  for (const [milli, want] of shares) {
    it(`gives ${milli}m cpu ${want} shares`, () => assert.equal(milliCpuToShares(milli), want));
  }
  const quotas: [number, number, number][] = [
    [0, 100000, 0],
    [5, 100000, 1000],
    [10, 100000, 1000],
    [100, 100000, 10000],
    [200, 100000, 20000],
    [500, 100000, 50000],
    [1000, 100000, 100000],
    [1500, 100000, 150000],
    [200, 50000, 10000],
  ];
  for (const [milli, period, want] of quotas) {
    it(`gives ${milli}m cpu a quota of ${want} per ${period}µs`, () =>
      assert.equal(milliCpuToQuota(milli, period), want));
  }
});

describe("container resources as the kubelet sends them", () => {
  const table: [
    string,
    Parameters<typeof containerResources>[0],
    ReturnType<typeof containerResources>,
  ][] = [
    [
      "100m request and limit give 102 shares and a 10000 quota",
      { cpuRequestMilli: 100, cpuLimitMilli: 100 },
      { cpuShares: 102, cpuQuota: 10000, cpuPeriod: 100000 },
    ],
    [
      "0.2 CPU limit gives 20000 per 100000",
      { cpuRequestMilli: 200, cpuLimitMilli: 200 },
      { cpuShares: 204, cpuQuota: 20000, cpuPeriod: 100000 },
    ],
    [
      "a 32Mi memory limit is 33554432 bytes",
      { memoryLimitBytes: 32 * Mi },
      { cpuShares: 2, memoryLimitInBytes: 33554432, cpuQuota: 0, cpuPeriod: 100000 },
    ],
    [
      "a limit without a request takes its shares from the limit",
      { cpuLimitMilli: 500 },
      { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000 },
    ],
    [
      "nothing set gives minimal shares and no quota",
      {},
      { cpuShares: 2, cpuQuota: 0, cpuPeriod: 100000 },
    ],
    [
      "disabled CFS quota leaves quota and period out",
      { cpuRequestMilli: 250, cpuLimitMilli: 500, cpuCfsQuota: false },
      { cpuShares: 256 },
    ],
    [
      "cgroup v2 adds memory.oom.group",
      { cpuRequestMilli: 100, oomScoreAdj: 1000, cgroupV2: true },
      {
        cpuShares: 102,
        cpuQuota: 0,
        cpuPeriod: 100000,
        oomScoreAdj: 1000,
        unified: { "memory.oom.group": "1" },
      },
    ],
  ];
  for (const [name, input, want] of table) {
    it(name, () => assert.deepEqual(containerResources(input), want));
  }
});

describe("QoS and OOM score", () => {
  const qos: [string, Parameters<typeof qosClass>[0], string][] = [
    ["no resources at all is BestEffort", [{}, {}], "BestEffort"],
    [
      "equal requests and limits everywhere is Guaranteed",
      [{ cpuRequestMilli: 100, cpuLimitMilli: 100, memoryRequestBytes: Mi, memoryLimitBytes: Mi }],
      "Guaranteed",
    ],
    [
      "one container without limits makes the pod Burstable",
      [
        { cpuRequestMilli: 100, cpuLimitMilli: 100, memoryRequestBytes: Mi, memoryLimitBytes: Mi },
        {},
      ],
      "Burstable",
    ],
    [
      "a request below the limit is Burstable",
      [{ cpuRequestMilli: 100, cpuLimitMilli: 200, memoryRequestBytes: Mi, memoryLimitBytes: Mi }],
      "Burstable",
    ],
    ["only a request is Burstable", [{ memoryRequestBytes: Mi }], "Burstable"],
  ];
  for (const [name, containers, want] of qos) {
    it(name, () => assert.equal(qosClass(containers), want));
  }

  const oom: [string, Parameters<typeof oomScoreAdj>[0], number][] = [
    ["Guaranteed containers get -997", { qos: "Guaranteed", memoryCapacityBytes: 4 * Gi }, -997],
    [
      "node-critical pods get -997",
      { qos: "BestEffort", nodeCritical: true, memoryCapacityBytes: 4 * Gi },
      -997,
    ],
    ["BestEffort containers get 1000", { qos: "BestEffort", memoryCapacityBytes: 4 * Gi }, 1000],
    [
      "requesting 10% of memory gives 900",
      { qos: "Burstable", memoryRequestBytes: 400 * Mi, memoryCapacityBytes: 4000 * Mi },
      900,
    ],
    ["requesting nothing gives 999", { qos: "Burstable", memoryCapacityBytes: 4 * Gi }, 999],
    [
      "requesting everything gives 3",
      { qos: "Burstable", memoryRequestBytes: 4 * Gi, memoryCapacityBytes: 4 * Gi },
      3,
    ],
  ];
  for (const [name, input, want] of oom) {
    it(name, () => assert.equal(oomScoreAdj(input), want));
  }
});

describe("pod cgroup values", () => {
  it("gives a Guaranteed pod shares, quota and memory limit summed over containers", () => {
    const c = {
      cpuRequestMilli: 100,
      cpuLimitMilli: 100,
      memoryRequestBytes: 32 * Mi,
      memoryLimitBytes: 32 * Mi,
    };
    assert.deepEqual(podResources({ containers: [c, c] }), {
      qos: "Guaranteed",
      cpuShares: 204,
      cpuQuota: 20000,
      cpuPeriod: 100000,
      memoryLimitBytes: 64 * Mi,
    });
  });

  it("gives a Burstable pod a quota only when every container has a cpu limit", () => {
    const result = podResources({
      containers: [
        { cpuRequestMilli: 100, cpuLimitMilli: 200, memoryLimitBytes: Mi },
        { cpuRequestMilli: 100 },
      ],
    });
    assert.deepEqual(result, { qos: "Burstable", cpuShares: 204 });
  });

  it("raises the requests to the largest init container's", () => {
    const result = podResources({
      containers: [{ cpuRequestMilli: 100, cpuLimitMilli: 100 }],
      initContainers: [{ cpuRequestMilli: 500, cpuLimitMilli: 500 }],
    });
    assert.deepEqual(result, {
      qos: "Burstable",
      cpuShares: 512,
      cpuQuota: 50000,
      cpuPeriod: 100000,
    });
  });

  it("adds the pod overhead", () => {
    const c = {
      cpuRequestMilli: 100,
      cpuLimitMilli: 100,
      memoryRequestBytes: Mi,
      memoryLimitBytes: Mi,
    };
    const result = podResources({
      containers: [c],
      overhead: { cpuRequestMilli: 50, cpuLimitMilli: 50, memoryLimitBytes: Mi },
    });
    assert.equal(result.cpuShares, 153);
    assert.equal(result.cpuQuota, 15000);
    assert.equal(result.memoryLimitBytes, 2 * Mi);
  });

  it("gives a BestEffort pod 2 shares and nothing else", () => {
    assert.deepEqual(podResources({ containers: [{}] }), { qos: "BestEffort", cpuShares: 2 });
  });

  it("marks quota -1 when CPU limits are not enforced", () => {
    const c = {
      cpuRequestMilli: 100,
      cpuLimitMilli: 100,
      memoryRequestBytes: Mi,
      memoryLimitBytes: Mi,
    };
    assert.equal(podResources({ containers: [c], enforceCpuLimits: false }).cpuQuota, -1);
  });
});

describe("OCI resources from CRI resources", () => {
  it("leaves zero values unset and sets swap equal to the memory limit", () => {
    assert.deepEqual(
      ociResources({
        cpuShares: 102,
        cpuQuota: 10000,
        cpuPeriod: 100000,
        memoryLimitInBytes: 32 * Mi,
      }),
      {
        cpu: { shares: 102, quota: 10000, period: 100000 },
        memory: { limit: 33554432, swap: 33554432 },
      },
    );
  });

  it("omits swap without the swap controller", () => {
    assert.deepEqual(ociResources({ memoryLimitInBytes: Mi }, { swapController: false }), {
      memory: { limit: Mi },
    });
  });

  it("passes cpusets, hugepages and unified entries through", () => {
    assert.deepEqual(
      ociResources({
        cpuShares: 2,
        cpuQuota: 0,
        cpuPeriod: 100000,
        cpusetCpus: "0-1",
        cpusetMems: "0",
        hugepageLimits: [{ pageSize: "2MB", limit: 4 * Mi }],
        unified: { "memory.oom.group": "1" },
      }),
      {
        cpu: { shares: 2, period: 100000, cpus: "0-1", mems: "0" },
        hugepageLimits: [{ pageSize: "2MB", limit: 4 * Mi }],
        unified: { "memory.oom.group": "1" },
      },
    );
  });
});
