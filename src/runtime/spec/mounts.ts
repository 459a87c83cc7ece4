/**
 * A container's mount list, as containerd's CRI plugin assembles it: the
 * base filesystems (/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys,
 * /sys/fs/cgroup), minus any the pod's own mounts replace (and everything
 * under /dev when the pod mounts /dev itself), then the pod's bind mounts
 * sorted by depth so a parent never hides a child.
 */
import { posix } from "node:path";
import type { Mount as CriMount } from "../cri.js";
import { baseMounts, cgroupMount, shmTmpfsMount } from "./defaults.js";
import { InvalidMountError } from "./errors.js";
import type { Mount, RootfsPropagation } from "./types.js";

/** The propagation runc gives the rootfs after the pod's mounts ask for more sharing. */
export function rootfsPropagationFor(mounts: readonly CriMount[]): RootfsPropagation | undefined {
  let result: RootfsPropagation | undefined;
  for (const m of mounts) {
    if (m.propagation === "PROPAGATION_BIDIRECTIONAL") result = "rshared";
    else if (m.propagation === "PROPAGATION_HOST_TO_CONTAINER" && result !== "rshared") {
      result = "rslave";
    }
  }
  return result;
}

/** One CRI bind mount as an OCI mount: `rbind`, the propagation, then `ro` or `rw`. */
export function bindMount(mount: CriMount): Mount {
  if (!posix.isAbsolute(mount.containerPath)) {
    throw new InvalidMountError(
      `mount container path ${JSON.stringify(mount.containerPath)} is not absolute`,
    );
  }
  if (!posix.isAbsolute(mount.hostPath)) {
    throw new InvalidMountError(
      `mount host path ${JSON.stringify(mount.hostPath)} is not absolute`,
    );
  }
  const propagation =
    mount.propagation === "PROPAGATION_BIDIRECTIONAL"
      ? "rshared"
      : mount.propagation === "PROPAGATION_HOST_TO_CONTAINER"
        ? "rslave"
        : "rprivate";
  return {
    destination: mount.containerPath,
    type: "bind",
    source: mount.hostPath,
    options: ["rbind", propagation, mount.readonly ? "ro" : "rw"],
  };
}

function depth(path: string): number {
  return posix
    .normalize(path)
    .split("/")
    .filter((p) => p !== "").length;
}

/** Stable sort of mounts by the number of components of their destination. */
export function sortMounts<T extends { containerPath: string }>(mounts: readonly T[]): T[] {
  return mounts
    .map((m, i) => ({ m, i, d: depth(m.containerPath) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.m);
}

export interface ContainerMountsOptions {
  /** The pod's mounts (volumes, /etc/hosts, termination log, service account token). */
  mounts?: readonly CriMount[] | undefined;
  /**
   * Mounts the runtime adds from the sandbox (hostname, resolv.conf,
   * /dev/shm); a pod mount at the same path wins over them.
   */
  extraMounts?: readonly CriMount[] | undefined;
  /** Mount sysfs and the cgroup filesystem read-write (privileged). Default false. */
  writableSys?: boolean | undefined;
}

/** Every mount of a container, in the order runc performs them. */
export function containerMounts(options: ContainerMountsOptions): Mount[] {
  const criMounts = options.mounts ?? [];
  const own = new Set(criMounts.map((m) => posix.normalize(m.containerPath)));
  const extra = (options.extraMounts ?? []).filter(
    (m) => !own.has(posix.normalize(m.containerPath)),
  );
  const supplied = sortMounts([...criMounts, ...extra]);
  const taken = new Set(supplied.map((m) => posix.normalize(m.containerPath)));
  const defaults = [...baseMounts(), shmTmpfsMount(), cgroupMount()].filter((m) => {
    if (taken.has(m.destination)) return false;
    return !(taken.has("/dev") && m.destination.startsWith("/dev/"));
  });
  // Keep the base order: /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup.
  const order = ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"];
  defaults.sort((a, b) => order.indexOf(a.destination) - order.indexOf(b.destination));
  if (options.writableSys) {
    for (const m of defaults) {
      if (m.destination === "/sys" || m.destination === "/sys/fs/cgroup") {
        m.options = m.options.map((o) => (o === "ro" ? "rw" : o));
      }
    }
  }
  return [...defaults, ...supplied.map(bindMount)];
}
