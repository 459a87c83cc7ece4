/**
 * The OCI runtime spec (config.json) for Linux, the subset k8ts writes.
 * Field names are the JSON names of opencontainers/runtime-spec
 * (config.md, config-linux.md); optional fields are left out of the JSON
 * when absent, as the Go structs' `omitempty` does.
 */

export interface Spec {
  ociVersion: string;
  process: Process;
  root: Root;
  hostname?: string;
  mounts: Mount[];
  annotations?: Record<string, string>;
  linux: Linux;
}

export interface Root {
  /** The rootfs directory, relative to the bundle or absolute. */
  path: string;
  readonly?: boolean;
}

export interface User {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

export interface Capabilities {
  bounding: string[];
  effective: string[];
  inheritable: string[];
  permitted: string[];
  ambient: string[];
}

export interface Rlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface Process {
  terminal?: boolean;
  user: User;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: Capabilities;
  rlimits?: Rlimit[];
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  oomScoreAdj?: number;
}

export interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export type NamespaceType = "pid" | "network" | "mount" | "ipc" | "uts" | "user" | "cgroup";

export interface Namespace {
  type: NamespaceType;
  /** Join this namespace (a /proc/<pid>/ns/… file or a bind-mounted one) instead of creating one. */
  path?: string;
}

export interface DeviceRule {
  allow: boolean;
  /** `a` (all), `c` or `b`; absent means all. */
  type?: "a" | "c" | "b";
  /** Absent means any (`*`). */
  major?: number;
  minor?: number;
  access?: string;
}

export interface LinuxMemory {
  limit?: number;
  reservation?: number;
  /** Memory plus swap (cgroup v1 memsw semantics); equal to limit means no swap. */
  swap?: number;
}

export interface LinuxCPU {
  shares?: number;
  quota?: number;
  period?: number;
  cpus?: string;
  mems?: string;
}

export interface HugepageLimit {
  pageSize: string;
  limit: number;
}

export interface LinuxResources {
  devices?: DeviceRule[];
  memory?: LinuxMemory;
  cpu?: LinuxCPU;
  pids?: { limit: number };
  hugepageLimits?: HugepageLimit[];
  unified?: Record<string, string>;
}

/** A device node to create in the container's /dev. */
export interface LinuxDevice {
  path: string;
  type: "c" | "b" | "u" | "p";
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export type RootfsPropagation = "private" | "rprivate" | "slave" | "rslave" | "shared" | "rshared";

export interface Linux {
  namespaces: Namespace[];
  resources: LinuxResources;
  cgroupsPath?: string;
  devices?: LinuxDevice[];
  sysctl?: Record<string, string>;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  rootfsPropagation?: RootfsPropagation;
}
