/**
 * OCI linux.resources → the cgroup files runc writes, for cgroup v1 (one
 * hierarchy per controller) and v2 (the unified hierarchy), with runc's
 * conversions. Pure: the engine and tests use it to know, and to check,
 * what ends up in /sys/fs/cgroup.
 */
import type { LinuxResources } from "../spec/types.js";

/** File name (relative to the controller's or the cgroup's directory) → content. */
export type CgroupFiles = Record<string, string>;

/**
 * cgroup v2 cpu.weight (1..10000) from v1 cpu.shares (2..262144), runc's
 * linear mapping: 1 + ((shares - 2) * 9999) / 262142; 0 (unset) stays 0.
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** cpu.max: `quota period`, `max` for no quota; the period is left out when not given. */
export function cpuMax(quota: number | undefined, period: number | undefined): string | undefined {
  if (!quota && !period) return undefined;
  const q = quota !== undefined && quota > 0 ? String(quota) : "max";
  return period ? `${q} ${period}` : q;
}

/** A limit of -1 (or below) is unlimited: `max` in v2 files. */
function v2Limit(limit: number): string {
  return limit < 0 ? "max" : String(limit);
}

/** Resource values runc would refuse to write. */
export class CgroupValueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * memory.swap.max from OCI's memory+swap value, as runc converts it:
 * unlimited memory with no swap setting → unlimited swap; 0 → unset;
 * -1 → max; otherwise swap - limit (so swap = limit means no swap).
 */
export function swapMax(swap: number | undefined, limit: number | undefined): string | undefined {
  const s = swap ?? 0;
  const m = limit ?? 0;
  if (m === -1 && s === 0) return "max";
  if (s === 0) return undefined;
  if (s === -1) return "max";
  if (m <= 0) throw new CgroupValueError("unable to set swap limit without memory limit");
  if (s < m) throw new CgroupValueError("memory+swap limit should be >= memory limit");
  return String(s - m);
}

/** Files runc writes under each v1 controller, keyed `controller/file`. */
export function cgroupV1Files(resources: LinuxResources): CgroupFiles {
  const out: CgroupFiles = {};
  const { cpu, memory, pids } = resources;
  if (cpu?.shares) out["cpu/cpu.shares"] = String(cpu.shares);
  if (cpu?.period) out["cpu/cpu.cfs_period_us"] = String(cpu.period);
  if (cpu?.quota) out["cpu/cpu.cfs_quota_us"] = String(cpu.quota);
  if (cpu?.cpus) out["cpuset/cpuset.cpus"] = cpu.cpus;
  if (cpu?.mems) out["cpuset/cpuset.mems"] = cpu.mems;
  if (memory?.limit) out["memory/memory.limit_in_bytes"] = String(memory.limit);
  if (memory?.swap) out["memory/memory.memsw.limit_in_bytes"] = String(memory.swap);
  if (memory?.reservation) out["memory/memory.soft_limit_in_bytes"] = String(memory.reservation);
  if (pids?.limit) out["pids/pids.max"] = pids.limit > 0 ? String(pids.limit) : "max";
  for (const h of resources.hugepageLimits ?? []) {
    out[`hugetlb/hugetlb.${h.pageSize}.limit_in_bytes`] = String(h.limit);
  }
  return out;
}

/** Files runc writes in the container's v2 cgroup directory (`unified` entries last, winning). */
export function cgroupV2Files(resources: LinuxResources): CgroupFiles {
  const out: CgroupFiles = {};
  const { cpu, memory, pids } = resources;
  if (cpu?.shares) out["cpu.weight"] = String(sharesToWeight(cpu.shares));
  const max = cpuMax(cpu?.quota, cpu?.period);
  if (max !== undefined) out["cpu.max"] = max;
  if (cpu?.cpus) out["cpuset.cpus"] = cpu.cpus;
  if (cpu?.mems) out["cpuset.mems"] = cpu.mems;
  const swap = swapMax(memory?.swap, memory?.limit);
  if (swap !== undefined) out["memory.swap.max"] = swap;
  if (memory?.limit) out["memory.max"] = v2Limit(memory.limit);
  if (memory?.reservation) out["memory.low"] = v2Limit(memory.reservation);
  if (pids?.limit) out["pids.max"] = pids.limit > 0 ? String(pids.limit) : "max";
  for (const h of resources.hugepageLimits ?? []) {
    out[`hugetlb.${h.pageSize}.max`] = String(h.limit);
  }
  Object.assign(out, resources.unified ?? {});
  return out;
}
