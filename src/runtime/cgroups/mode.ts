/**
 * Which cgroup layout a host has, read from /proc/self/mountinfo the way
 * runc decides (runc only checks whether /sys/fs/cgroup itself is cgroup2):
 *
 * - `unified`: /sys/fs/cgroup is cgroup2 — runc uses its v2 manager;
 * - `hybrid`: v1 controller hierarchies under /sys/fs/cgroup plus a cgroup2
 *   at /sys/fs/cgroup/unified — runc uses its v1 manager (and also places
 *   the container in the unified hierarchy, which has no controllers of its
 *   own there except any not bound to v1);
 * - `legacy`: v1 only.
 *
 * The development machines are hybrid: /sys/fs/cgroup is a tmpfs holding
 * cpu, cpuacct, cpuset, memory, devices, freezer, blkio, pids and
 * name=systemd as separate v1 hierarchies (cpu and cpuacct not co-mounted),
 * and cgroup2 at /sys/fs/cgroup/unified whose only controller is hugetlb.
 * So runc sees cgroup v1: limits land in cpu.shares/cpu.cfs_*,
 * memory.limit_in_bytes (+ memsw), pids.max; a container gets no cgroup
 * namespace and sees the v1 hierarchies read-only at /sys/fs/cgroup.
 */

export type CgroupMode = "unified" | "hybrid" | "legacy";

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller (or `name=...` hierarchy) → its mount point. */
  v1: Record<string, string>;
  /** The cgroup2 mount point, if any. */
  unified?: string;
}

const V1_CONTROLLERS = new Set([
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "blkio",
  "pids",
  "hugetlb",
  "net_cls",
  "net_prio",
  "perf_event",
  "rdma",
  "misc",
]);

/** Undo mountinfo's octal escapes (`\040` is a space). */
function unescapeMountinfo(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, o: string) =>
    String.fromCharCode(Number.parseInt(o, 8)),
  );
}

/** The cgroup layout described by the text of /proc/self/mountinfo. */
export function cgroupLayout(mountinfo: string): CgroupLayout {
  const v1: Record<string, string> = {};
  let unified: string | undefined;
  let rootIsV2 = false;
  for (const line of mountinfo.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const right = line.slice(sep + 3).split(" ");
    const mountPoint = unescapeMountinfo(left[4] ?? "");
    const fsType = right[0];
    if (fsType === "cgroup2") {
      if (mountPoint === "/sys/fs/cgroup") rootIsV2 = true;
      unified ??= mountPoint;
    } else if (fsType === "cgroup") {
      for (const opt of (right[2] ?? "").split(",")) {
        if (V1_CONTROLLERS.has(opt) || opt.startsWith("name=")) v1[opt] = mountPoint;
      }
    }
  }
  const mode: CgroupMode = rootIsV2 ? "unified" : unified !== undefined ? "hybrid" : "legacy";
  const layout: CgroupLayout = { mode, v1 };
  if (unified !== undefined) layout.unified = unified;
  return layout;
}

/** One line of /proc/<pid>/cgroup: hierarchy id, controllers, path. */
export interface ProcCgroup {
  id: number;
  controllers: string[];
  path: string;
}

/** Parse /proc/<pid>/cgroup (`4:memory:/kubepods/...`, `0::/` for v2). */
export function parseProcCgroup(text: string): ProcCgroup[] {
  const out: ProcCgroup[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) continue;
    out.push({
      id: Number(line.slice(0, first)),
      controllers: line
        .slice(first + 1, second)
        .split(",")
        .filter((c) => c !== ""),
      path: line.slice(second + 1),
    });
  }
  return out;
}
