/**
 * cgroup paths for pods and containers, as the kubelet and containerd name
 * them with the cgroupfs driver (`/kubepods/burstable/pod<uid>/<id>`) or the
 * systemd driver (`kubepods-burstable-pod<uid>.slice:cri-containerd:<id>`,
 * the `slice:prefix:name` form runc understands).
 */
import { posix } from "node:path";

export type QOS = "Guaranteed" | "Burstable" | "BestEffort";

/** The root of all pod cgroups under the node's cgroup root. */
export const KUBEPODS = "kubepods";

/**
 * The pod's cgroup parent: Guaranteed pods sit directly under kubepods,
 * others under kubepods/burstable or kubepods/besteffort. Dashes in the UID
 * become underscores for systemd (a dash means nesting in slice names).
 */
export function podCgroupParent(options: {
  qos: QOS;
  podUid: string;
  /** Default "cgroupfs". */
  driver?: "cgroupfs" | "systemd";
}): string {
  const tier = options.qos === "Guaranteed" ? [] : [options.qos.toLowerCase()];
  if (options.driver === "systemd") {
    const parts = [KUBEPODS, ...tier, `pod${options.podUid.replaceAll("-", "_")}`];
    return `${parts.join("-")}.slice`;
  }
  return `/${[KUBEPODS, ...tier, `pod${options.podUid}`].join("/")}`;
}

/** The container's cgroupsPath for config.json under its pod's cgroup parent. */
export function containerCgroupsPath(parent: string, id: string): string {
  if (parent.endsWith(".slice")) return `${posix.basename(parent)}:cri-k8ts:${id}`;
  return posix.join(parent, id);
}
