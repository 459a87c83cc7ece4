import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Whether the conmon monitoring `id` (its pid in `<bundle>/conmon.pid`)
 * still runs: the pid is alive and its command line names the container,
 * so a recycled pid does not count. While it runs and no exit file exists,
 * the container's process has not been reaped: it counts as running
 * without asking runc (one file read instead of a process spawn).
 */
export async function monitorAlive(bundleDir: string, id: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(join(bundleDir, "conmon.pid"), "utf8")).trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("conmon") && cmdline.includes(id);
  } catch {
    return false;
  }
}
