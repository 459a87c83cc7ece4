/**
 * The defaults containerd's CRI plugin puts in every container spec; CRI-O
 * and Docker differ only in details noted beside each list.
 */
import type { DeviceRule, Mount } from "./types.js";

/**
 * The runtime spec version written to config.json. 1.0.2-dev is what
 * runc 1.1 (Debian 12) declares; nothing k8ts writes needs a later one.
 */
export const OCI_VERSION = "1.0.2-dev";

/**
 * Capabilities of an unprivileged container: containerd's and Docker's
 * default set (CRI-O's default omits MKNOD, NET_RAW, SYS_CHROOT, AUDIT_WRITE
 * and SETFCAP). They fill bounding, effective and permitted; inheritable and
 * ambient stay empty.
 */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/**
 * Every capability Linux 5.9+ knows (CAP_LAST_CAP = CAP_CHECKPOINT_RESTORE),
 * in kernel order: what `privileged` and `add: [ALL]` grant. containerd asks
 * the kernel for its list; runc ignores names the kernel does not know.
 */
export const ALL_CAPABILITIES: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/**
 * Paths runc hides (bind-mounts /dev/null over files, an empty read-only
 * tmpfs over directories): containerd's default list. The kubelet sends
 * these only for procMount Default; CRI `maskedPaths: []` means Unmasked.
 */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  "/proc/acpi",
  "/proc/asound",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/sys/firmware",
  "/sys/devices/virtual/powercap",
  "/proc/scsi",
];

/** Paths runc remounts read-only: containerd's default list. */
export const DEFAULT_READONLY_PATHS: readonly string[] = [
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
];

/**
 * The open-files limit of every container process. containerd's CRI plugin
 * writes no rlimits, so containers inherit containerd.service's
 * LimitNOFILE=infinity, i.e. the kernel's nr_open (1048576). k8ts writes
 * that value explicitly so containers do not inherit whatever limit the
 * k8ts process itself was started with.
 */
export const DEFAULT_NOFILE = 1048576;

/** PATH for images that set none (containerd's and Docker's default). */
export const DEFAULT_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** oom_score_adj of the pause process (the kubelet's PodInfraOOMAdj). */
export const SANDBOX_OOM_SCORE_ADJ = -998;

/** cpu.shares of the pause process's cgroup when the CRI gives none (containerd). */
export const SANDBOX_CPU_SHARES = 2;

/**
 * The filesystems every container gets before its own mounts: containerd's
 * defaults without /run (the CRI plugin drops it) and with /dev/shm left to
 * the caller (a container uses its sandbox's). `/sys/fs/cgroup` is added
 * last, read-only, as containerd's CRI plugin does.
 */
export function baseMounts(): Mount[] {
  return [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/mqueue",
      type: "mqueue",
      source: "mqueue",
      options: ["nosuid", "noexec", "nodev"],
    },
    {
      destination: "/sys",
      type: "sysfs",
      source: "sysfs",
      options: ["nosuid", "noexec", "nodev", "ro"],
    },
  ];
}

/** A private /dev/shm tmpfs of 64 MiB (Docker's and containerd's default size). */
export function shmTmpfsMount(): Mount {
  return {
    destination: "/dev/shm",
    type: "tmpfs",
    source: "shm",
    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
  };
}

/** The cgroup filesystem at /sys/fs/cgroup, read-only (containerd's CRI plugin). */
export function cgroupMount(): Mount {
  return {
    destination: "/sys/fs/cgroup",
    type: "cgroup",
    source: "cgroup",
    options: ["nosuid", "noexec", "nodev", "relatime", "ro"],
  };
}

/**
 * The device cgroup rules of an unprivileged container: deny everything,
 * then allow the standard set (Docker's list, which runc also appends on
 * its own): mknod of any node, /dev/null, zero, full, random, urandom, tty,
 * ptmx, the pts slaves and /dev/net/tun.
 */
/** `[type, major, minor, access]`; `-1` stands for the `*` wildcard. */
const ALLOWED_DEVICES: readonly (readonly ["c" | "b", number, number, string])[] = [
  ["c", -1, -1, "m"],
  ["b", -1, -1, "m"],
  ["c", 1, 3, "rwm"], // /dev/null
  ["c", 1, 8, "rwm"], // /dev/random
  ["c", 1, 7, "rwm"], // /dev/full
  ["c", 5, 0, "rwm"], // /dev/tty
  ["c", 1, 5, "rwm"], // /dev/zero
  ["c", 1, 9, "rwm"], // /dev/urandom
  ["c", 136, -1, "rwm"], // /dev/pts/*
  ["c", 5, 2, "rwm"], // /dev/ptmx
  ["c", 10, 200, "rwm"], // /dev/net/tun
];

/**
 * The device cgroup rules of an unprivileged container: deny everything,
 * then allow the standard set (Docker's list, which runc also appends on
 * its own): mknod of any node, /dev/null, random, full, tty, zero, urandom,
 * the pts slaves, ptmx and /dev/net/tun.
 */
export function defaultDeviceRules(): DeviceRule[] {
  const rules: DeviceRule[] = [{ allow: false, access: "rwm" }];
  for (const [type, major, minor, access] of ALLOWED_DEVICES) {
    const rule: DeviceRule = { allow: true, type };
    if (major >= 0) rule.major = major;
    if (minor >= 0) rule.minor = minor;
    rule.access = access;
    rules.push(rule);
  }
  return rules;
}
