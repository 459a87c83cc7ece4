/**
 * Linux namespaces of sandboxes and containers. The sandbox (pause) process
 * owns the pod's namespaces; containers join them by path:
 *
 * | namespace | sandbox                          | container                                   |
 * |-----------|----------------------------------|---------------------------------------------|
 * | network   | new, or the CNI netns by path    | the sandbox's                               |
 * | ipc       | new                              | the sandbox's                               |
 * | uts       | new                              | the sandbox's                               |
 * | pid       | new                              | own (CONTAINER), the sandbox's (POD), a target's (TARGET) |
 * | mount     | new                              | new                                         |
 * | cgroup    | new on cgroup v2 unless privileged | same                                      |
 *
 * NODE (hostNetwork, hostIPC, hostPID) leaves the namespace out, so the
 * process stays in the host's; hostNetwork also keeps the host's UTS
 * namespace (the pod shows the node's hostname).
 */
import type { NamespaceOption } from "../cri.js";
import { NamespaceOptionError } from "./errors.js";
import type { Namespace, NamespaceType } from "./types.js";

/** `/proc/<pid>/ns/<kind>` of a running process. */
export function procNamespacePath(
  pid: number,
  kind: "net" | "ipc" | "uts" | "pid" | "user",
): string {
  return `/proc/${pid}/ns/${kind}`;
}

/** Where the network namespace `name` is bind-mounted by `ip netns add` (and k8ts's CNI setup). */
export function netnsPath(name: string): string {
  return `/var/run/netns/${name}`;
}

/** Namespaces of the pod sandbox's pause process. */
export function sandboxNamespaces(options: {
  namespaceOptions?: NamespaceOption | undefined;
  /** A pre-created network namespace (CNI ran before the sandbox). Default: a new one. */
  netnsPath?: string | undefined;
  /** Give the pod its own cgroup namespace (cgroup v2 hosts). Default false. */
  cgroupns?: boolean | undefined;
}): Namespace[] {
  const ns = options.namespaceOptions ?? {};
  const out: Namespace[] = [];
  if (ns.pid !== "NODE") out.push({ type: "pid" });
  if (ns.network !== "NODE") {
    out.push(
      options.netnsPath ? { type: "network", path: options.netnsPath } : { type: "network" },
    );
  }
  if (ns.ipc !== "NODE") out.push({ type: "ipc" });
  if (ns.network !== "NODE") out.push({ type: "uts" });
  out.push({ type: "mount" });
  if (options.cgroupns) out.push({ type: "cgroup" });
  return out;
}

/** Namespaces of a container joining its sandbox's. */
export function containerNamespaces(options: {
  /** The container's namespace options (the kubelet copies the pod's host* settings here). */
  namespaceOptions?: NamespaceOption | undefined;
  /** The pause process's pid: containers join its namespaces through /proc. */
  sandboxPid: number;
  /** The sandbox's network namespace path when it is a bind-mounted one. Default /proc/<sandboxPid>/ns/net. */
  netnsPath?: string | undefined;
  /** The target container's pid for `pid: TARGET` (ephemeral debug containers). */
  targetPid?: number | undefined;
  /** A new cgroup namespace (cgroup v2 hosts, unprivileged containers). Default false. */
  cgroupns?: boolean | undefined;
}): Namespace[] {
  const ns = options.namespaceOptions ?? {};
  const pid = options.sandboxPid;
  const out: Namespace[] = [];
  const join = (type: NamespaceType, path: string) => out.push({ type, path });
  // Absent means POD, the proto zero value; the kubelet always says CONTAINER for a normal pod.
  switch (ns.pid ?? "POD") {
    case "CONTAINER":
      out.push({ type: "pid" });
      break;
    case "POD":
      join("pid", procNamespacePath(pid, "pid"));
      break;
    case "TARGET":
      if (options.targetPid === undefined) {
        throw new NamespaceOptionError(
          `pid namespace TARGET ${ns.targetId ?? ""} needs the target's pid`,
        );
      }
      join("pid", procNamespacePath(options.targetPid, "pid"));
      break;
    case "NODE":
      break;
  }
  if (ns.network !== "NODE") {
    join("network", options.netnsPath ?? procNamespacePath(pid, "net"));
    join("uts", procNamespacePath(pid, "uts"));
  }
  if (ns.ipc !== "NODE") join("ipc", procNamespacePath(pid, "ipc"));
  out.push({ type: "mount" });
  if (options.cgroupns) out.push({ type: "cgroup" });
  return out;
}
