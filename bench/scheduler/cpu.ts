/**
 * CPU time spent by this process and by its children (the API server),
 * so a figure taken on a loaded machine still says where the work went:
 * wall-clock pods/s depends on what else runs, CPU-ms per pod much less.
 * Children are read from /proc (Linux).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  /** This process, user + system, in seconds. */
  readonly self: number;
  /** Its direct children, user + system, in seconds. */
  readonly children: number;
}

function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const text = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** utime + stime of one process in seconds; 0 once it is gone. */
function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  let children = 0;
  for (const pid of childPids()) children += processSeconds(pid);
  return { self: (usage.user + usage.system) / 1e6, children };
}

/** Milliseconds of CPU per item between two samples, for this process and its children. */
export function cpuPerItem(
  from: CpuSample,
  input: { readonly to: CpuSample; readonly items: number },
): { readonly self: number; readonly children: number } {
  const n = Math.max(input.items, 1);
  return {
    self: ((input.to.self - from.self) * 1000) / n,
    children: ((input.to.children - from.children) * 1000) / n,
  };
}
