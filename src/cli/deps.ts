/**
 * The system packages k8ts uses on Debian 12, and where each one shows up
 * on disk. Pure data and a pure check over a "does this path exist"
 * function, so it is testable without touching the machine.
 */
export interface Dependency {
  /** The Debian package that provides it. */
  readonly pkg: string;
  /** Paths of which at least one must exist. */
  readonly paths: readonly string[];
  readonly purpose: string;
  /** Needed for a working node (false: only for some features or tests). */
  readonly required: boolean;
}

export const DEPENDENCIES: readonly Dependency[] = [
  {
    pkg: "runc",
    paths: ["/usr/sbin/runc", "/usr/bin/runc"],
    purpose: "OCI runtime that starts containers",
    required: true,
  },
  {
    pkg: "conmon",
    paths: ["/usr/bin/conmon", "/usr/libexec/podman/conmon"],
    purpose: "per-container monitor",
    required: true,
  },
  {
    pkg: "containernetworking-plugins",
    paths: ["/usr/lib/cni/bridge"],
    purpose: "CNI plugins for pod networking",
    required: true,
  },
  {
    pkg: "iproute2",
    paths: ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"],
    purpose: "named network namespaces for pod sandboxes",
    required: true,
  },
  {
    pkg: "iptables",
    paths: ["/usr/sbin/iptables"],
    purpose: "service proxy rules",
    required: true,
  },
  {
    pkg: "conntrack",
    paths: ["/usr/sbin/conntrack"],
    purpose: "flushing stale service connections",
    required: true,
  },
  {
    pkg: "catatonit",
    paths: ["/usr/bin/catatonit", "/usr/libexec/podman/catatonit"],
    purpose: "pause process of pod sandboxes",
    required: true,
  },
  {
    pkg: "busybox-static",
    paths: ["/bin/busybox", "/usr/bin/busybox"],
    purpose: "port-forward relay inside pod network namespaces (kubectl port-forward)",
    required: true,
  },
  {
    pkg: "attr",
    paths: ["/usr/bin/setfattr"],
    purpose: "overlay xattrs when unpacking image layers",
    required: true,
  },
  {
    pkg: "etcd-server",
    paths: ["/usr/bin/etcd"],
    purpose: "external datastore for HA (optional)",
    required: false,
  },
  {
    pkg: "kubectl",
    paths: ["/usr/bin/kubectl", "/usr/local/bin/kubectl"],
    purpose: "the Kubernetes CLI used to drive the cluster",
    required: false,
  },
];

export interface DependencyStatus {
  readonly dep: Dependency;
  readonly found: string | undefined;
}

export function checkDependencies(
  exists: (path: string) => boolean,
  deps: readonly Dependency[] = DEPENDENCIES,
): DependencyStatus[] {
  return deps.map((dep) => ({ dep, found: dep.paths.find(exists) }));
}

/** Debian packages to install for everything that is missing (kubectl is not a Debian package). */
export function missingPackages(statuses: readonly DependencyStatus[]): string[] {
  return statuses.filter((s) => !s.found && s.dep.pkg !== "kubectl").map((s) => s.dep.pkg);
}
