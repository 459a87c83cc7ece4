import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CgroupValueError,
  cgroupLayout,
  cgroupV1Files,
  cgroupV2Files,
  containerCgroupsPath,
  parseProcCgroup,
  podCgroupParent,
  sharesToWeight,
  swapMax,
} from "../../../src/runtime/cgroups/index.js";

describe("cpu.weight from cpu.shares", () => {
  const table: [number, number][] = [
    [0, 0],
    [2, 1],
    [102, 4],
    [1024, 39],
    [262144, 10000],
  ];
  for (const [shares, weight] of table) {
    it(`maps ${shares} shares to weight ${weight}`, () =>
      assert.equal(sharesToWeight(shares), weight));
  }
});

describe("cgroup files", () => {
  const resources = {
    cpu: { shares: 102, quota: 10000, period: 100000 },
    memory: { limit: 33554432, swap: 33554432 },
    pids: { limit: 1024 },
  };

  it("writes v1 controller files", () => {
    assert.deepEqual(cgroupV1Files(resources), {
      "cpu/cpu.shares": "102",
      "cpu/cpu.cfs_period_us": "100000",
      "cpu/cpu.cfs_quota_us": "10000",
      "memory/memory.limit_in_bytes": "33554432",
      "memory/memory.memsw.limit_in_bytes": "33554432",
      "pids/pids.max": "1024",
    });
  });

  it("writes v2 files with weight, cpu.max and no swap", () => {
    assert.deepEqual(cgroupV2Files(resources), {
      "cpu.weight": "4",
      "cpu.max": "10000 100000",
      "memory.swap.max": "0",
      "memory.max": "33554432",
      "pids.max": "1024",
    });
  });

  it("writes cpu.max as max when only the period is set", () => {
    assert.deepEqual(cgroupV2Files({ cpu: { shares: 2, period: 100000 } }), {
      "cpu.weight": "1",
      "cpu.max": "max 100000",
    });
  });

  it("lets unified entries win", () => {
    const files = cgroupV2Files({
      memory: { limit: 1024 },
      unified: { "memory.max": "2048", "memory.oom.group": "1" },
    });
    assert.equal(files["memory.max"], "2048");
    assert.equal(files["memory.oom.group"], "1");
  });

  const swap: [string, number | undefined, number | undefined, string | undefined][] = [
    ["unset swap stays unset", undefined, 100, undefined],
    ["swap equal to the limit means none", 100, 100, "0"],
    ["swap above the limit allows the difference", 300, 100, "200"],
    ["-1 is unlimited", -1, 100, "max"],
    ["unlimited memory with unset swap is unlimited swap", undefined, -1, "max"],
  ];
  for (const [name, s, m, want] of swap) {
    it(name, () => assert.equal(swapMax(s, m), want));
  }

  it("refuses swap below the memory limit", () => {
    assert.throws(() => swapMax(50, 100), CgroupValueError);
  });
});

describe("cgroup paths", () => {
  const table: [string, Parameters<typeof podCgroupParent>[0], string][] = [
    [
      "Guaranteed pods sit under kubepods",
      { qos: "Guaranteed", podUid: "a-b" },
      "/kubepods/poda-b",
    ],
    [
      "Burstable pods sit under kubepods/burstable",
      { qos: "Burstable", podUid: "a-b" },
      "/kubepods/burstable/poda-b",
    ],
    [
      "BestEffort pods sit under kubepods/besteffort",
      { qos: "BestEffort", podUid: "a-b" },
      "/kubepods/besteffort/poda-b",
    ],
    [
      "systemd slices use underscores in the uid",
      { qos: "Burstable", podUid: "a-b", driver: "systemd" },
      "kubepods-burstable-poda_b.slice",
    ],
  ];
  for (const [name, input, want] of table) {
    it(name, () => assert.equal(podCgroupParent(input), want));
  }

  it("joins the container id under a cgroupfs parent", () => {
    assert.equal(containerCgroupsPath("/kubepods/poda", "c1"), "/kubepods/poda/c1");
  });

  it("uses the slice:prefix:name form under a systemd parent", () => {
    assert.equal(
      containerCgroupsPath("kubepods-poda.slice", "c1"),
      "kubepods-poda.slice:cri-k8ts:c1",
    );
  });
});

describe("cgroup layout", () => {
  const hybrid = [
    "23 27 0:22 / /sys rw,relatime - sysfs sysfs rw",
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
  ].join("\n");

  it("recognises this machine's layout as hybrid", () => {
    const layout = cgroupLayout(hybrid);
    assert.equal(layout.mode, "hybrid");
    assert.equal(layout.unified, "/sys/fs/cgroup/unified");
    assert.deepEqual(layout.v1, {
      cpu: "/sys/fs/cgroup/cpu",
      cpuacct: "/sys/fs/cgroup/cpuacct",
      memory: "/sys/fs/cgroup/memory",
      pids: "/sys/fs/cgroup/pids",
      "name=systemd": "/sys/fs/cgroup/systemd",
    });
  });

  it("recognises a unified host", () => {
    const layout = cgroupLayout(
      "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate",
    );
    assert.deepEqual(layout, { mode: "unified", v1: {}, unified: "/sys/fs/cgroup" });
  });

  it("recognises a co-mounted legacy host", () => {
    const layout = cgroupLayout(
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
    );
    assert.equal(layout.mode, "legacy");
    assert.equal(layout.v1.cpuacct, "/sys/fs/cgroup/cpu,cpuacct");
  });

  it("parses /proc/self/cgroup lines", () => {
    assert.deepEqual(parseProcCgroup("4:memory:/process_api/x\n1:cpu,cpuacct:/\n0::/\n"), [
      { id: 4, controllers: ["memory"], path: "/process_api/x" },
      { id: 1, controllers: ["cpu", "cpuacct"], path: "/" },
      { id: 0, controllers: [], path: "/" },
    ]);
  });
});
