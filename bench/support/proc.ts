import { readFileSync } from "node:fs";

/** USER_HZ on Linux: the unit of utime/stime in /proc/<pid>/stat. */
const TICKS = 100;

/** CPU seconds (user + system) and resident MiB of a process, from /proc. */
export function processUsage(pid: number): { cpu: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { cpu, rssMiB: Number(rss?.[1] ?? 0) / 1024 };
}

/**
 * Stops a child with SIGTERM, then SIGKILL if it has not exited within
 * `graceMs` (a benchmark must end even when a component hangs on stop;
 * the report says so).
 */
export async function stopChild(
  child: import("node:child_process").ChildProcess,
  opts: { graceMs?: number; onKill?: () => void } = {},
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    opts.onKill?.();
    child.kill("SIGKILL");
  }, opts.graceMs ?? 30_000);
  await exited;
  clearTimeout(timer);
}
