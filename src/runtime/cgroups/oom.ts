/**
 * How many processes of a cgroup the kernel's OOM killer ended: the
 * `oom_kill` counter of memory.events (cgroup v2) or memory.oom_control
 * (cgroup v1, kernel 4.13+). The kernel counts a kill on the victim's own
 * cgroup (and, on v2, on each ancestor), whichever limit was hit — the
 * container's or its pod's — so a container whose counter is above zero
 * lost a process to the OOM killer. That is how containerd and CRI-O tell
 * OOMKilled from any other SIGKILL.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CgroupLayout, ProcCgroup } from "./mode.js";
import { parseFlatKeyed } from "./stats.js";

/** The `oom_kill` counter of memory.events or memory.oom_control text (0 when absent). */
export function oomKillCount(text: string): number {
  return Number(parseFlatKeyed(text).get("oom_kill") ?? 0n);
}

/**
 * Controller → cgroup path from /proc/<pid>/cgroup lines, with "" for the
 * cgroup2 hierarchy (`{ memory: "/kubepods/pod1/c1", "": "/" }`).
 */
export function controllerPaths(lines: readonly ProcCgroup[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    for (const c of line.controllers) out[c] = line.path;
    if (line.id === 0) out[""] = line.path;
  }
  return out;
}

/**
 * OOM kills recorded for the cgroup at `paths` (as controllerPaths gives
 * them), or undefined when the cgroup is gone or this host has no memory
 * controller for it.
 */
export async function readOomKills(
  layout: CgroupLayout,
  paths: Readonly<Record<string, string>>,
): Promise<number | undefined> {
  const file =
    layout.mode === "unified"
      ? layout.unified !== undefined && paths[""] !== undefined
        ? join(layout.unified, paths[""], "memory.events")
        : undefined
      : layout.v1.memory !== undefined && paths.memory !== undefined
        ? join(layout.v1.memory, paths.memory, "memory.oom_control")
        : undefined;
  if (file === undefined) return undefined;
  try {
    return oomKillCount(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
