/**
 * Resource usage of a cgroup, as cAdvisor and containerd compute it: CPU
 * time used, memory usage and working set (usage less inactive file pages,
 * the kubelet's eviction signal), RSS, page faults, and OOM kills (how the
 * engine tells OOMKilled from any other exit). Parsers are pure; reading
 * the files is the one function at the end.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CgroupLayout } from "./mode.js";

export interface CgroupUsage {
  /** Cumulative CPU time, ns. */
  cpuUsageNs: bigint;
  memoryUsageBytes: bigint;
  /** usage − inactive_file, never below 0. */
  workingSetBytes: bigint;
  rssBytes: bigint;
  pageFaults: bigint;
  majorPageFaults: bigint;
  /** Processes the kernel OOM-killed in this cgroup. */
  oomKills: number;
}

/** `key value` lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
export function parseFlatKeyed(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^[0-9]+$/.test(value)) out.set(key, BigInt(value));
  }
  return out;
}

function workingSet(usage: bigint, inactiveFile: bigint): bigint {
  return usage > inactiveFile ? usage - inactiveFile : 0n;
}

/** Usage from cgroup v1 files: cpuacct.usage, memory.usage_in_bytes, memory.stat, memory.oom_control. */
export function usageV1(files: {
  cpuacctUsage: string;
  memoryUsage: string;
  memoryStat: string;
  oomControl: string;
}): CgroupUsage {
  const stat = parseFlatKeyed(files.memoryStat);
  const usage = BigInt(files.memoryUsage.trim() || "0");
  // Hierarchical totals (total_*) include child cgroups, as the container's own processes may sit in one.
  const pick = (key: string) => stat.get(`total_${key}`) ?? stat.get(key) ?? 0n;
  return {
    cpuUsageNs: BigInt(files.cpuacctUsage.trim() || "0"),
    memoryUsageBytes: usage,
    workingSetBytes: workingSet(usage, pick("inactive_file")),
    rssBytes: pick("rss"),
    pageFaults: pick("pgfault"),
    majorPageFaults: pick("pgmajfault"),
    oomKills: Number(parseFlatKeyed(files.oomControl).get("oom_kill") ?? 0n),
  };
}

/** Usage from cgroup v2 files: cpu.stat, memory.current, memory.stat, memory.events. */
export function usageV2(files: {
  cpuStat: string;
  memoryCurrent: string;
  memoryStat: string;
  memoryEvents: string;
}): CgroupUsage {
  const stat = parseFlatKeyed(files.memoryStat);
  const usage = BigInt(files.memoryCurrent.trim() || "0");
  return {
    cpuUsageNs: (parseFlatKeyed(files.cpuStat).get("usage_usec") ?? 0n) * 1000n,
    memoryUsageBytes: usage,
    workingSetBytes: workingSet(usage, stat.get("inactive_file") ?? 0n),
    rssBytes: stat.get("anon") ?? 0n,
    pageFaults: stat.get("pgfault") ?? 0n,
    majorPageFaults: stat.get("pgmajfault") ?? 0n,
    oomKills: Number(parseFlatKeyed(files.memoryEvents).get("oom_kill") ?? 0n),
  };
}

/**
 * Reads the usage of a cgroup on this host's layout. `path` is the cgroup
 * path (a container's cgroupsPath), or per controller as /proc/<pid>/cgroup
 * lists it (`{ memory: "/a", cpuacct: "/", "": "/" }`, "" for cgroup2).
 */
export async function readCgroupUsage(
  layout: CgroupLayout,
  path: string | Readonly<Record<string, string>>,
): Promise<CgroupUsage> {
  const read = (controller: string, file: string) => {
    const dir = controller === "" ? layout.unified : layout.v1[controller];
    const sub = typeof path === "string" ? path : path[controller];
    if (dir === undefined || sub === undefined) {
      throw new Error(`no ${controller || "cgroup2"} hierarchy for ${file} on this host`);
    }
    return readFile(join(dir, sub, file), "utf8");
  };
  if (layout.mode === "unified") {
    const [cpuStat, memoryCurrent, memoryStat, memoryEvents] = await Promise.all([
      read("", "cpu.stat"),
      read("", "memory.current"),
      read("", "memory.stat"),
      read("", "memory.events"),
    ]);
    return usageV2({ cpuStat, memoryCurrent, memoryStat, memoryEvents });
  }
  const [cpuacctUsage, memoryUsage, memoryStat, oomControl] = await Promise.all([
    read("cpuacct", "cpuacct.usage"),
    read("memory", "memory.usage_in_bytes"),
    read("memory", "memory.stat"),
    read("memory", "memory.oom_control"),
  ]);
  return usageV1({ cpuacctUsage, memoryUsage, memoryStat, oomControl });
}
