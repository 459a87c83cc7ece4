/** Reading a container's cgroup files from the host, on cgroup v1 or v2 (root tests). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cgroupLayout, controllerPaths, parseProcCgroup } from "../../src/runtime/cgroups/index.js";

/** The cgroup per controller ("" for v2) of a process. */
export function cgroupPathsOf(pid: number): Record<string, string> {
  return controllerPaths(parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, "utf8")));
}

/** Whether this host runs cgroup v2 alone (files then come from the unified hierarchy). */
export function unifiedCgroups(): boolean {
  return cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8")).mode === "unified";
}

/**
 * One cgroup file's trimmed content: `v1` as `controller/file`, used when
 * that controller has a v1 hierarchy, else `v2` in the unified one.
 */
export function readCgroupFile(
  paths: Readonly<Record<string, string>>,
  file: { v1: string; v2: string },
): string {
  const layout = cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8"));
  const [controller = "", name = ""] = file.v1.split("/");
  const v1 = layout.v1[controller];
  const path =
    v1 !== undefined
      ? join(v1, paths[controller] ?? "", name)
      : join(layout.unified ?? "/sys/fs/cgroup", paths[""] ?? "", file.v2);
  return readFileSync(path, "utf8").trim();
}
