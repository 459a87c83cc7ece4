import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  mergeCriResources,
  runcUpdateResources,
  updatedSpecResources,
} from "../../../src/runtime/spec/update.js";

const MiB = 1024 * 1024;

describe("runc update's resources from a CRI update", () => {
  it("carries only the fields the update sets, memory with its swap as at create", () => {
    assert.deepEqual(
      runcUpdateResources({ memoryLimitInBytes: 64 * MiB, cpuQuota: 20_000, cpuPeriod: 100_000 }),
      {
        cpu: { quota: 20_000, period: 100_000 },
        memory: { limit: 64 * MiB, swap: 64 * MiB },
      },
    );
    assert.deepEqual(runcUpdateResources({ memoryLimitInBytes: MiB }, { swapController: false }), {
      memory: { limit: MiB },
    });
  });

  it("sets cpuset, shares and the pids limit; -1 lifts the pids limit", () => {
    assert.deepEqual(
      runcUpdateResources(
        { cpusetCpus: "0-1", cpusetMems: "0", cpuShares: 256 },
        { pidsLimit: 20 },
      ),
      { cpu: { shares: 256, cpus: "0-1", mems: "0" }, pids: { limit: 20 } },
    );
    assert.deepEqual(runcUpdateResources({}, { pidsLimit: -1 }), { pids: { limit: -1 } });
  });

  it("refuses a pids limit of 0 or below -1", () => {
    assert.throws(() => runcUpdateResources({}, { pidsLimit: 0 }), /invalid pids limit 0/);
    assert.throws(() => runcUpdateResources({}, { pidsLimit: -2 }), RangeError);
  });
});

describe("a spec's resources after an update", () => {
  it("merges cpu, memory and pids and keeps the device rules", () => {
    const current = {
      devices: [{ allow: false, access: "rwm" }],
      cpu: { shares: 512, quota: 50_000, period: 100_000 },
      memory: { limit: 64 * MiB, swap: 64 * MiB },
      unified: { "memory.oom.group": "1" },
    };
    assert.deepEqual(
      updatedSpecResources(current, {
        cpu: { quota: 20_000 },
        memory: { limit: 128 * MiB, swap: 128 * MiB },
        pids: { limit: 10 },
        unified: { "memory.high": "max" },
      }),
      {
        devices: [{ allow: false, access: "rwm" }],
        cpu: { shares: 512, quota: 20_000, period: 100_000 },
        memory: { limit: 128 * MiB, swap: 128 * MiB },
        pids: { limit: 10 },
        unified: { "memory.oom.group": "1", "memory.high": "max" },
      },
    );
  });

  it("replaces hugepage limits by page size", () => {
    const out = updatedSpecResources(
      {
        hugepageLimits: [
          { pageSize: "2MB", limit: 1 },
          { pageSize: "1GB", limit: 2 },
        ],
      },
      { hugepageLimits: [{ pageSize: "2MB", limit: 3 }] },
    );
    assert.deepEqual(out.hugepageLimits, [
      { pageSize: "2MB", limit: 3 },
      { pageSize: "1GB", limit: 2 },
    ]);
  });
});

describe("the CRI resources a container reports after an update", () => {
  it("replaces set fields and keeps zero or empty ones", () => {
    assert.deepEqual(
      mergeCriResources(
        { cpuShares: 512, memoryLimitInBytes: 64 * MiB, cpusetCpus: "0", unified: { a: "1" } },
        {
          cpuShares: 0,
          memoryLimitInBytes: 128 * MiB,
          cpusetCpus: "",
          unified: { b: "2" },
          hugepageLimits: [],
        },
      ),
      {
        cpuShares: 512,
        memoryLimitInBytes: 128 * MiB,
        cpusetCpus: "0",
        unified: { a: "1", b: "2" },
      },
    );
  });
});
