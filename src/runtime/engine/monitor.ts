import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The conmon monitoring `id`, from its pid in `<bundle>/conmon.pid`:
 * `absent` while there is no pid file (conmon writes it just before it
 * runs `runc create`), `alive` while that pid runs with a command line
 * naming the container (a recycled pid does not count), else `gone`.
 * While it is alive and no exit file exists, the container's process has
 * not been reaped: it counts as running without asking runc (one file
 * read instead of a process spawn).
 */
export type MonitorState = "absent" | "alive" | "gone";

export async function monitorState(bundleDir: string, id: string): Promise<MonitorState> {
  let pid: number;
  try {
    pid = Number((await readFile(join(bundleDir, "conmon.pid"), "utf8")).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    return "gone";
  }
  if (!Number.isInteger(pid) || pid <= 0) return "gone";
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("conmon") && cmdline.includes(id) ? "alive" : "gone";
  } catch {
    return "gone";
  }
}

/** Whether the conmon monitoring `id` still runs (see monitorState). */
export async function monitorAlive(bundleDir: string, id: string): Promise<boolean> {
  return (await monitorState(bundleDir, id)) === "alive";
}

/**
 * What can still be seen of the conmon monitoring `id`, for the message of
 * an exit it never recorded: its pid from `<bundle>/conmon.pid` and whether
 * that pid is gone, a zombie, or now another process.
 */
export async function monitorFacts(bundleDir: string, id: string): Promise<string> {
  let pid: number;
  try {
    pid = Number((await readFile(join(bundleDir, "conmon.pid"), "utf8")).trim());
  } catch {
    return "no conmon pid file";
  }
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    if (!(cmdline.includes("conmon") && cmdline.includes(id)))
      return `conmon pid ${pid} gone (the pid is now another process)`;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return `conmon pid ${pid} in state ${state}`;
  } catch {
    return `conmon pid ${pid} gone`;
  }
}
