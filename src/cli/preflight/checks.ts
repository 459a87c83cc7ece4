/**
 * The kernel and host checks `k8ts check` runs before a node is started,
 * in the spirit of kubeadm's preflight (SystemVerification, Swap, Port-*,
 * IsPrivilegedUser): pure functions of facts gathered elsewhere
 * (`facts.ts`), so every rule is testable without the machine.
 */

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** The command (or action) that fixes it, when not ok. */
  readonly fix?: string;
}

export interface HostFacts {
  /** `uname -r`, e.g. "6.1.0-18-amd64". */
  readonly kernelRelease: string;
  readonly uid: number;
  /** Filesystems the kernel knows (/proc/filesystems), e.g. ["ext4", "overlay"]. */
  readonly filesystems: readonly string[];
  /** "v2" when /sys/fs/cgroup is the unified hierarchy, else "v1" (possibly hybrid). */
  readonly cgroupVersion: "v1" | "v2";
  /** Enabled cgroup controllers (v2: cgroup.controllers; v1: /proc/cgroups, enabled=1). */
  readonly cgroupControllers: readonly string[];
  /** Active swap devices or files (/proc/swaps). */
  readonly swapDevices: readonly string[];
  /** net.ipv4.ip_forward, undefined when unreadable. */
  readonly ipForward: string | undefined;
  /** Whether /proc/sys/net/bridge exists (br_netfilter loaded). */
  readonly brNetfilter: boolean;
}

export interface PortUse {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** What k8ts needs it for. */
  readonly purpose: string;
  readonly inUse: boolean;
}

/** Controllers the kubelet's resource limits need. */
const REQUIRED_CONTROLLERS = ["cpu", "memory", "pids"] as const;

/** "6.1.0-18-amd64" → [6, 1]; undefined when it does not start with a version. */
export function kernelVersion(release: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const atLeast = (v: [number, number], major: number, minor: number) =>
  v[0] > major || (v[0] === major && v[1] >= minor);

export function checkKernel(facts: HostFacts): CheckResult {
  const name = "kernel version";
  const v = kernelVersion(facts.kernelRelease);
  if (!v) {
    return { name, status: "warn", detail: `cannot parse kernel release "${facts.kernelRelease}"` };
  }
  // kubeadm's SystemVerification accepts 3.10 and later; the kubeadm docs
  // support LTS kernels, the oldest still maintained being 4.19.
  if (!atLeast(v, 3, 10)) {
    return {
      name,
      status: "fail",
      detail: `${facts.kernelRelease} is older than 3.10 (namespaces and cgroups as containers need them)`,
      fix: "boot a kernel 4.19 or newer",
    };
  }
  if (!atLeast(v, 4, 19)) {
    return {
      name,
      status: "warn",
      detail: `${facts.kernelRelease} is older than 4.19, the oldest LTS kernel Kubernetes supports`,
      fix: "boot a kernel 4.19 or newer",
    };
  }
  return { name, status: "ok", detail: facts.kernelRelease };
}

export function checkRoot(facts: HostFacts): CheckResult {
  return facts.uid === 0
    ? { name: "root", status: "ok", detail: "running as root" }
    : {
        name: "root",
        status: "fail",
        detail: `running as uid ${facts.uid}: namespaces, mounts, cgroups and iptables need root`,
        fix: "run k8ts as root (sudo)",
      };
}

export function checkOverlay(facts: HostFacts): CheckResult {
  return facts.filesystems.includes("overlay")
    ? { name: "overlayfs", status: "ok", detail: "overlay is available" }
    : {
        name: "overlayfs",
        status: "fail",
        detail: "the kernel does not list overlay in /proc/filesystems (image layers need it)",
        fix: "modprobe overlay",
      };
}

export function checkCgroups(facts: HostFacts): CheckResult {
  const missing = REQUIRED_CONTROLLERS.filter((c) => !facts.cgroupControllers.includes(c));
  if (missing.length === 0) {
    return {
      name: "cgroups",
      status: "ok",
      detail: `${facts.cgroupVersion}: ${REQUIRED_CONTROLLERS.join(", ")} enabled`,
    };
  }
  return {
    name: "cgroups",
    status: "fail",
    detail: `${facts.cgroupVersion}: controller(s) ${missing.join(", ")} not enabled (pod limits need them)`,
    fix: `boot with ${missing.map((c) => `cgroup_enable=${c}`).join(" ")} on the kernel command line`,
  };
}

export function checkSwap(facts: HostFacts): CheckResult {
  if (facts.swapDevices.length === 0) return { name: "swap", status: "ok", detail: "off" };
  // Upstream's kubelet refuses to start with swap on unless told otherwise
  // (failSwapOn); k8ts runs, but memory limits then count only RAM.
  return {
    name: "swap",
    status: "warn",
    detail: `on (${facts.swapDevices.join(", ")}): memory requests and limits do not count swap`,
    fix: "swapoff -a (and remove swap from /etc/fstab)",
  };
}

export function checkForwarding(facts: HostFacts): CheckResult[] {
  const forwarding: CheckResult =
    facts.ipForward === "1"
      ? { name: "ip forwarding", status: "ok", detail: "net.ipv4.ip_forward = 1" }
      : {
          name: "ip forwarding",
          status: "warn",
          detail: `net.ipv4.ip_forward = ${facts.ipForward ?? "unknown"} (k8ts's proxy sets it to 1 when it starts)`,
          fix: "sysctl -w net.ipv4.ip_forward=1",
        };
  const bridge: CheckResult = facts.brNetfilter
    ? { name: "br_netfilter", status: "ok", detail: "bridged pod traffic passes iptables" }
    : {
        name: "br_netfilter",
        status: "warn",
        detail: "not loaded (k8ts's proxy loads it when it starts)",
        fix: "modprobe br_netfilter",
      };
  return [forwarding, bridge];
}

export function checkPorts(ports: readonly PortUse[]): CheckResult[] {
  return ports.map((p) => {
    const name = `port ${p.port}/${p.protocol}`;
    return p.inUse
      ? {
          name,
          status: "fail",
          detail: `in use (${p.purpose})`,
          fix: `stop what listens on it (ss -lnp 'sport = :${p.port}') or choose another port with its flag`,
        }
      : { name, status: "ok", detail: `free (${p.purpose})` };
  });
}

/** Every check, in the order `k8ts check` prints them. */
export function preflight(facts: HostFacts, ports: readonly PortUse[]): CheckResult[] {
  return [
    checkRoot(facts),
    checkKernel(facts),
    checkCgroups(facts),
    checkOverlay(facts),
    checkSwap(facts),
    ...checkForwarding(facts),
    ...checkPorts(ports),
  ];
}
