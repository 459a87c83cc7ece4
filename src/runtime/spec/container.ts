/**
 * config.json for a container of a pod, built the way containerd's CRI
 * plugin builds it from the same CRI request (defaults in defaults.ts).
 * Pure: everything that needs the filesystem (image config, resolved user,
 * device numbers, the sandbox's pid and files) comes in through the options.
 *
 * Deliberately left out: seccomp (no profile; RuntimeDefault is not
 * enforced), AppArmor and SELinux labels (not used on the target hosts),
 * user namespaces, hugepage limits need the hugetlb controller.
 */

import { containerCgroupsPath } from "../cgroups/paths.js";
import type { ContainerConfig, Mount as CriMount, PodSandboxConfig } from "../cri.js";
import { resolveArgs } from "./args.js";
import { buildCapabilities } from "./capabilities.js";
import {
  DEFAULT_MASKED_PATHS,
  DEFAULT_NOFILE,
  DEFAULT_PATH_ENV,
  DEFAULT_READONLY_PATHS,
  defaultDeviceRules,
  OCI_VERSION,
} from "./defaults.js";
import { PrivilegedNotAllowedError, SpecError } from "./errors.js";
import { containerMounts, rootfsPropagationFor } from "./mounts.js";
import { containerNamespaces } from "./namespaces.js";
import { ociResources } from "./resources.js";
import type { DeviceRule, LinuxDevice, Rlimit, Spec, User } from "./types.js";

/** The parts of an OCI image config a container spec uses. */
export interface ImageConfig {
  entrypoint?: string[] | undefined;
  cmd?: string[] | undefined;
  /** `KEY=value` entries. */
  env?: string[] | undefined;
  workingDir?: string | undefined;
  /** USER: `name`, `uid`, `uid:gid`, ... */
  user?: string | undefined;
}

/** A CRI device after the runtime looked at the host node. */
export interface ResolvedDevice {
  containerPath: string;
  type: "c" | "b";
  major: number;
  minor: number;
  /** cgroup access: `r`, `w`, `m` combination. Default `rwm`. */
  permissions?: string;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** What the runtime knows about the pod's running sandbox. */
export interface SandboxInfo {
  id: string;
  config: PodSandboxConfig;
  /** The pause process's pid (containers join its namespaces). */
  pid: number;
  /** The pod's bind-mounted network namespace, when it has one. */
  netnsPath?: string | undefined;
  /** The pod's hostname file, mounted at /etc/hostname. */
  hostnamePath?: string;
  /** The pod's resolv.conf, mounted at /etc/resolv.conf. */
  resolvConfPath?: string;
  /** The pod's shared /dev/shm directory; a private tmpfs when absent. */
  shmPath?: string;
}

export interface ContainerSpecOptions {
  /** The container's ID (names its cgroup). */
  id: string;
  config: ContainerConfig;
  sandbox: SandboxInfo;
  /** The image's config. Default empty. */
  image?: ImageConfig;
  /**
   * The user as resolveUser found it in the image. Default: runAsUser (or
   * the image's numeric USER, else 0) with runAsGroup (else 0); a user
   * given by name must be resolved and passed here (SpecError otherwise).
   */
  user?: User;
  /** The rootfs path, relative to the bundle. Default "rootfs". */
  rootfs?: string;
  /** config.devices resolved against the host. Default none. */
  devices?: readonly ResolvedDevice[];
  /** Every host device, for privileged containers. Default none. */
  hostDevices?: readonly ResolvedDevice[];
  /** The target container's pid for `pid: TARGET`. */
  targetPid?: number;
  /** Host runs cgroup v2 unified: a new cgroup namespace for unprivileged containers. Default false. */
  cgroupV2?: boolean;
  /** The kernel has the swap controller. Default true. */
  swapController?: boolean;
  /** pids.max for the container. Default unlimited (the pod cgroup carries the pod's limit). */
  pidsLimit?: number;
  /** HOSTNAME when the pod has no hostname (hostNetwork): the node's name. Default "". */
  nodeHostname?: string;
  /** The lowest oom_score_adj the engine may set (see clampOomScoreAdj). Default: no floor. */
  minOomScoreAdj?: number | undefined;
  /** The highest RLIMIT_NOFILE the engine may set (its own hard limit without CAP_SYS_RESOURCE). Default: no ceiling. */
  maxNofile?: number | undefined;
  /** Every capability the engine holds, when it lacks some (hostLimits()): a privileged container's set. Default all. */
  availableCapabilities?: readonly string[] | undefined;
}

/**
 * The open-files limit containers get: containerd's 1048576, lowered to the
 * engine's own hard limit when it may not raise limits (no CAP_SYS_RESOURCE).
 */
export function nofileRlimit(ceiling: number | undefined): Rlimit {
  const limit = ceiling === undefined ? DEFAULT_NOFILE : Math.min(DEFAULT_NOFILE, ceiling);
  return { type: "RLIMIT_NOFILE", hard: limit, soft: limit };
}

/**
 * An oom_score_adj the engine can actually set. Without CAP_SYS_RESOURCE
 * (inside a container, rootless) a process may not go below its own value,
 * and runc would fail the whole create; containerd's `restrict_oom_score_adj`
 * raises the value to the engine's own instead, and so does k8ts.
 */
export function clampOomScoreAdj(adj: number, floor: number | undefined): number {
  return floor === undefined ? adj : Math.max(adj, floor);
}

/** Replace `KEY=...` entries in place, append new keys (containerd's replaceOrAppendEnvValues). */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const key = (e: string) => (e.includes("=") ? e.slice(0, e.indexOf("=")) : e);
  for (const entry of overrides) {
    const i = out.findIndex((e) => key(e) === key(entry));
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}

function devicePieces(devices: readonly ResolvedDevice[]): {
  rules: DeviceRule[];
  nodes: LinuxDevice[];
} {
  const rules: DeviceRule[] = [];
  const nodes: LinuxDevice[] = [];
  for (const d of devices) {
    rules.push({
      allow: true,
      type: d.type,
      major: d.major,
      minor: d.minor,
      access: d.permissions ?? "rwm",
    });
    const node: LinuxDevice = {
      path: d.containerPath,
      type: d.type,
      major: d.major,
      minor: d.minor,
    };
    if (d.fileMode !== undefined) node.fileMode = d.fileMode;
    if (d.uid !== undefined) node.uid = d.uid;
    if (d.gid !== undefined) node.gid = d.gid;
    nodes.push(node);
  }
  return { rules, nodes };
}

function sandboxMounts(options: ContainerSpecOptions, readonly: boolean): CriMount[] {
  const s = options.sandbox;
  const extra: CriMount[] = [];
  if (s.hostnamePath)
    extra.push({ containerPath: "/etc/hostname", hostPath: s.hostnamePath, readonly });
  if (s.resolvConfPath) {
    extra.push({ containerPath: "/etc/resolv.conf", hostPath: s.resolvConfPath, readonly });
  }
  const hostIpc = options.config.linux?.securityContext?.namespaceOptions?.ipc === "NODE";
  if (hostIpc) extra.push({ containerPath: "/dev/shm", hostPath: "/dev/shm" });
  else if (s.shmPath) extra.push({ containerPath: "/dev/shm", hostPath: s.shmPath });
  return extra;
}

function defaultUser(options: ContainerSpecOptions): User {
  const sc = options.config.linux?.securityContext;
  const imageUid = options.image?.user?.split(":")[0] ?? "";
  const named = sc?.runAsUsername || (sc?.runAsUser === undefined && /[^0-9]/.test(imageUid));
  if (named) {
    // Never fall back to root for a named user: the caller must look it up.
    const name = sc?.runAsUsername || imageUid;
    throw new SpecError(
      `user ${JSON.stringify(name)} needs resolving against the image (resolveUser)`,
    );
  }
  const uid = sc?.runAsUser?.value ?? (imageUid === "" ? 0 : Number(imageUid));
  const imageGid = options.image?.user?.split(":")[1] ?? "";
  const gid = sc?.runAsGroup?.value ?? (/^[0-9]+$/.test(imageGid) ? Number(imageGid) : 0);
  const additionalGids = [gid];
  for (const g of sc?.supplementalGroups ?? [])
    if (!additionalGids.includes(g)) additionalGids.push(g);
  return { uid, gid, additionalGids };
}

/** The OCI runtime spec for one container of a running sandbox. */
export function buildContainerSpec(options: ContainerSpecOptions): Spec {
  const { config, sandbox } = options;
  const sc = config.linux?.securityContext ?? {};
  const privileged = sc.privileged ?? false;
  if (privileged && !sandbox.config.linux?.securityContext?.privileged) {
    throw new PrivilegedNotAllowedError("no privileged container allowed in sandbox");
  }
  const image = options.image ?? {};
  const readonlyRootfs = sc.readonlyRootfs ?? false;
  const hostname = sandbox.config.hostname || options.nodeHostname || "";
  const env = mergeEnv(
    mergeEnv([DEFAULT_PATH_ENV, `HOSTNAME=${hostname}`], image.env ?? []),
    (config.envs ?? []).map((e) => `${e.key}=${e.value}`),
  );
  const mounts = config.mounts ?? [];
  const devices = devicePieces(options.devices ?? []);
  const resourcesIn = config.linux?.resources;
  const resources = ociResources(resourcesIn ?? {}, {
    swapController: options.swapController ?? true,
  });
  resources.devices = privileged
    ? [{ allow: true, access: "rwm" }]
    : [...defaultDeviceRules(), ...devices.rules];
  if (options.pidsLimit !== undefined) resources.pids = { limit: options.pidsLimit };

  const spec: Spec = {
    ociVersion: OCI_VERSION,
    process: {
      user: options.user ?? defaultUser(options),
      args: resolveArgs({
        imageEntrypoint: image.entrypoint,
        imageCmd: image.cmd,
        command: config.command,
        args: config.args,
      }),
      env,
      cwd: config.workingDir || image.workingDir || "/",
      capabilities: buildCapabilities({
        capabilities: sc.capabilities,
        privileged,
        available: options.availableCapabilities,
      }),
      rlimits: [nofileRlimit(options.maxNofile)],
      noNewPrivileges: sc.noNewPrivs ?? false,
    },
    root: { path: options.rootfs ?? "rootfs", readonly: readonlyRootfs },
    mounts: containerMounts({
      mounts,
      extraMounts: sandboxMounts(options, readonlyRootfs),
      writableSys: privileged,
    }),
    annotations: {
      "io.kubernetes.cri.container-type": "container",
      "io.kubernetes.cri.container-name": config.metadata.name,
      "io.kubernetes.cri.image-name": config.image.userSpecifiedImage ?? config.image.image,
      "io.kubernetes.cri.sandbox-id": sandbox.id,
      "io.kubernetes.cri.sandbox-name": sandbox.config.metadata.name,
      "io.kubernetes.cri.sandbox-namespace": sandbox.config.metadata.namespace,
      "io.kubernetes.cri.sandbox-uid": sandbox.config.metadata.uid,
    },
    linux: {
      namespaces: containerNamespaces({
        namespaceOptions: sc.namespaceOptions,
        sandboxPid: sandbox.pid,
        netnsPath: sandbox.netnsPath,
        targetPid: options.targetPid,
        cgroupns: (options.cgroupV2 ?? false) && !privileged,
      }),
      resources,
      maskedPaths: privileged ? [] : [...(sc.maskedPaths ?? DEFAULT_MASKED_PATHS)],
      readonlyPaths: privileged ? [] : [...(sc.readonlyPaths ?? DEFAULT_READONLY_PATHS)],
    },
  };
  if (config.tty) spec.process.terminal = true;
  if (resourcesIn) {
    spec.process.oomScoreAdj = clampOomScoreAdj(
      resourcesIn.oomScoreAdj ?? 0,
      options.minOomScoreAdj,
    );
  }
  const parent = sandbox.config.linux?.cgroupParent;
  if (parent) spec.linux.cgroupsPath = containerCgroupsPath(parent, options.id);
  const nodes = [...(privileged ? (options.hostDevices ?? []) : []), ...(options.devices ?? [])];
  if (nodes.length > 0) spec.linux.devices = devicePieces(nodes).nodes;
  const propagation = rootfsPropagationFor(mounts);
  if (propagation) spec.linux.rootfsPropagation = propagation;
  return spec;
}
