/**
 * config.json for a pod's sandbox: the pause process that owns the pod's
 * namespaces. k8ts's pause is catatonit in pause mode (`catatonit -P`): pid 1
 * of the pod's pid namespace, reaping zombies when containers share it
 * (shareProcessNamespace), otherwise just holding the namespaces open.
 * Built as containerd's CRI plugin builds its sandbox spec: read-only
 * rootfs, the pod's hostname and sysctls, 2 cpu shares, oom_score_adj -998.
 */

import { containerCgroupsPath } from "../cgroups/paths.js";
import type { PodSandboxConfig } from "../cri.js";
import { buildCapabilities } from "./capabilities.js";
import { clampOomScoreAdj, mergeEnv, nofileRlimit } from "./container.js";
import {
  baseMounts,
  DEFAULT_MASKED_PATHS,
  DEFAULT_PATH_ENV,
  DEFAULT_READONLY_PATHS,
  defaultDeviceRules,
  OCI_VERSION,
  SANDBOX_CPU_SHARES,
  SANDBOX_OOM_SCORE_ADJ,
  shmTmpfsMount,
} from "./defaults.js";
import { sandboxNamespaces } from "./namespaces.js";
import type { Mount, Spec } from "./types.js";

/** The pause command when the caller names none: catatonit as installed in k8ts's pause image. */
export const PAUSE_ARGS: readonly string[] = ["/catatonit", "-P"];

export interface SandboxSpecOptions {
  /** The sandbox's ID (names its cgroup under the pod's cgroup parent). */
  id: string;
  config: PodSandboxConfig;
  /** The pause command. Default PAUSE_ARGS. */
  args?: readonly string[];
  /** The pause image's env (`KEY=value`). Default only PATH. */
  env?: readonly string[];
  /** The rootfs path, relative to the bundle. Default "rootfs". */
  rootfs?: string;
  /** The pod's network namespace created beforehand for CNI. Default: runc creates a new one. */
  netnsPath?: string | undefined;
  /** The pod's /dev/shm directory, bind-mounted for containers to share. Default: a private tmpfs. */
  shmPath?: string;
  /** The pod's resolv.conf. Default: not mounted. */
  resolvConfPath?: string;
  /** Host runs cgroup v2 unified: a new cgroup namespace. Default false. */
  cgroupV2?: boolean;
  /** The lowest oom_score_adj the engine may set (see clampOomScoreAdj). Default: no floor. */
  minOomScoreAdj?: number | undefined;
  /** The highest RLIMIT_NOFILE the engine may set (its own hard limit without CAP_SYS_RESOURCE). Default: no ceiling. */
  maxNofile?: number | undefined;
  /** Every capability the engine holds, when it lacks some (hostLimits()): a privileged container's set. Default all. */
  availableCapabilities?: readonly string[] | undefined;
}

/** The OCI runtime spec for the pod's pause process. */
export function buildSandboxSpec(options: SandboxSpecOptions): Spec {
  const { config } = options;
  const sc = config.linux?.securityContext ?? {};
  const ns = sc.namespaceOptions ?? {};
  const privileged = sc.privileged ?? false;
  const mounts: Mount[] = baseMounts();
  if (ns.ipc === "NODE") {
    mounts.push({
      destination: "/dev/shm",
      type: "bind",
      source: "/dev/shm",
      options: ["rbind", "ro", "nosuid", "nodev", "noexec"],
    });
  } else if (options.shmPath) {
    mounts.push({
      destination: "/dev/shm",
      type: "bind",
      source: options.shmPath,
      options: ["rbind", "ro", "nosuid", "nodev", "noexec"],
    });
  } else mounts.push(shmTmpfsMount());
  if (options.resolvConfPath) {
    mounts.push({
      destination: "/etc/resolv.conf",
      type: "bind",
      source: options.resolvConfPath,
      options: ["rbind", "ro", "nosuid", "nodev", "noexec"],
    });
  }
  const gid = sc.runAsGroup?.value ?? 0;
  const additionalGids = [gid];
  for (const g of sc.supplementalGroups ?? [])
    if (!additionalGids.includes(g)) additionalGids.push(g);

  const spec: Spec = {
    ociVersion: OCI_VERSION,
    process: {
      user: { uid: sc.runAsUser?.value ?? 0, gid, additionalGids },
      args: [...(options.args ?? PAUSE_ARGS)],
      env: mergeEnv([DEFAULT_PATH_ENV], options.env ?? []),
      cwd: "/",
      capabilities: buildCapabilities({ privileged, available: options.availableCapabilities }),
      rlimits: [nofileRlimit(options.maxNofile)],
      noNewPrivileges: true,
      oomScoreAdj: clampOomScoreAdj(SANDBOX_OOM_SCORE_ADJ, options.minOomScoreAdj),
    },
    root: { path: options.rootfs ?? "rootfs", readonly: true },
    mounts,
    annotations: {
      "io.kubernetes.cri.container-type": "sandbox",
      "io.kubernetes.cri.sandbox-id": options.id,
      "io.kubernetes.cri.sandbox-name": config.metadata.name,
      "io.kubernetes.cri.sandbox-namespace": config.metadata.namespace,
      "io.kubernetes.cri.sandbox-uid": config.metadata.uid,
      "io.kubernetes.cri.sandbox-log-directory": config.logDirectory ?? "",
    },
    linux: {
      namespaces: sandboxNamespaces({
        namespaceOptions: ns,
        netnsPath: options.netnsPath,
        cgroupns: (options.cgroupV2 ?? false) && !privileged,
      }),
      resources: { devices: defaultDeviceRules(), cpu: { shares: SANDBOX_CPU_SHARES } },
      maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
      readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
    },
  };
  // A hostname needs a private UTS namespace: hostNetwork pods keep the node's.
  if (ns.network !== "NODE" && config.hostname) spec.hostname = config.hostname;
  const sysctls = config.linux?.sysctls ?? {};
  if (Object.keys(sysctls).length > 0) spec.linux.sysctl = { ...sysctls };
  const parent = config.linux?.cgroupParent;
  if (parent) spec.linux.cgroupsPath = containerCgroupsPath(parent, options.id);
  return spec;
}
