import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  cgroupLayout,
  parseProcCgroup,
  readCgroupUsage,
  usageV1,
  usageV2,
} from "../../../src/runtime/cgroups/index.js";

describe("cgroup usage", () => {
  it("computes v1 usage with hierarchical totals and the working set", () => {
    const usage = usageV1({
      cpuacctUsage: "123456789\n",
      memoryUsage: "10485760\n",
      memoryStat: [
        "cache 4096",
        "rss 1000",
        "inactive_file 1",
        "pgfault 5",
        "total_rss 2097152",
        "total_inactive_file 3145728",
        "total_pgfault 77",
        "total_pgmajfault 2",
      ].join("\n"),
      oomControl: "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n",
    });
    assert.deepEqual(usage, {
      cpuUsageNs: 123456789n,
      memoryUsageBytes: 10485760n,
      workingSetBytes: 10485760n - 3145728n,
      rssBytes: 2097152n,
      pageFaults: 77n,
      majorPageFaults: 2n,
      oomKills: 1,
    });
  });

  it("computes v2 usage from cpu.stat microseconds and memory.events", () => {
    const usage = usageV2({
      cpuStat: "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n",
      memoryCurrent: "4096\n",
      memoryStat: "anon 1024\ninactive_file 8192\npgfault 9\npgmajfault 1\n",
      memoryEvents: "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n",
    });
    assert.equal(usage.cpuUsageNs, 2_500_000n);
    assert.equal(usage.workingSetBytes, 0n, "never below zero");
    assert.equal(usage.rssBytes, 1024n);
    assert.equal(usage.oomKills, 2);
  });

  it("reads this process's own cgroups on this host", async () => {
    const layout = cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8"));
    const paths: Record<string, string> = {};
    for (const line of parseProcCgroup(readFileSync("/proc/self/cgroup", "utf8"))) {
      for (const c of line.controllers) paths[c] = line.path;
      if (line.id === 0) paths[""] = line.path;
    }
    const usage = await readCgroupUsage(layout, paths);
    assert.ok(usage.cpuUsageNs > 0n, "this process used CPU");
    assert.ok(usage.memoryUsageBytes > 0n, "and memory");
    assert.ok(usage.workingSetBytes <= usage.memoryUsageBytes);
  });
});
