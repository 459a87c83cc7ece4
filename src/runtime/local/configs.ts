/**
 * A `k8ts run` request as the CRI configs the engine takes (pure): one pod
 * sandbox holding one container, as `crictl runp` + `crictl create` would
 * describe them. The container gets its own PID namespace (PID 1 inside),
 * the sandbox's network, IPC and UTS namespaces, and docker's resource
 * semantics: a command replaces the image's Cmd and keeps its Entrypoint.
 */
import type { ContainerConfig, KeyValue, Mount, PodSandboxConfig, PortMapping } from "../cri.js";
import {
  COMMAND_ANNOTATION,
  IMAGE_ANNOTATION,
  LOCAL_LABEL,
  NAME_LABEL,
  OPTIONS_ANNOTATION,
  PORTS_ANNOTATION,
} from "./names.js";

/** The namespace (in the CRI metadata sense) of every `k8ts run` sandbox. */
export const LOCAL_NAMESPACE = "k8ts-run";

export interface LocalRunSpec {
  readonly name: string;
  /** The image as the user named it. */
  readonly image: string;
  /** Replaces the image's Cmd when not empty. */
  readonly command: readonly string[];
  readonly env: readonly KeyValue[];
  readonly mounts: readonly Mount[];
  readonly ports: readonly PortMapping[];
  readonly memoryBytes?: number | undefined;
  readonly cpu?: { readonly cpuQuota: number; readonly cpuPeriod: number } | undefined;
  /** pids.max; -1 for none. */
  readonly pidsLimit?: number | undefined;
  readonly tty: boolean;
  /** Keep stdin open (`-i`). */
  readonly stdin: boolean;
  /** Removed once it exits (`--rm`). */
  readonly autoRemove: boolean;
  /** Every capability and device, no masked paths (`--privileged`). */
  readonly privileged?: boolean | undefined;
}

export interface LocalConfigs {
  readonly sandbox: PodSandboxConfig;
  readonly container: ContainerConfig;
  readonly pidsLimit?: number;
}

/** `0.0.0.0:8080->80/tcp`, as docker prints a published port. */
export function formatPort(p: PortMapping): string {
  return `${p.hostIp || "0.0.0.0"}:${p.hostPort}->${p.containerPort}/${(p.protocol ?? "TCP").toLowerCase()}`;
}

/**
 * The CRI's args get Kubernetes' `$(VAR)` expansion (`$$` stands for `$`);
 * docker passes a command as it is, so every `$` is doubled.
 */
const literal = (arg: string) => arg.replaceAll("$", "$$$$");

export function localConfigs(
  spec: LocalRunSpec,
  ids: {
    readonly uid: string;
    readonly hostname: string;
    /** What the process will run (Entrypoint + command or Cmd), for `ps`. */
    readonly processArgs: readonly string[];
  },
): LocalConfigs {
  const labels = { [LOCAL_LABEL]: "1", [NAME_LABEL]: spec.name };
  const ownPid = {
    namespaceOptions: { pid: "CONTAINER" as const },
    ...(spec.privileged ? { privileged: true } : {}),
  };
  const sandbox: PodSandboxConfig = {
    metadata: { name: spec.name, uid: ids.uid, namespace: LOCAL_NAMESPACE },
    hostname: ids.hostname,
    labels,
    portMappings: spec.ports.map((p) => ({ ...p })),
    linux: { securityContext: ownPid },
  };
  const resources = {
    ...(spec.memoryBytes !== undefined ? { memoryLimitInBytes: spec.memoryBytes } : {}),
    ...(spec.cpu ? { cpuQuota: spec.cpu.cpuQuota, cpuPeriod: spec.cpu.cpuPeriod } : {}),
  };
  const container: ContainerConfig = {
    metadata: { name: spec.name },
    image: { image: spec.image },
    ...(spec.command.length > 0 ? { args: spec.command.map(literal) } : {}),
    envs: spec.env.map((e) => ({ ...e })),
    mounts: spec.mounts.map((m) => ({ ...m })),
    labels,
    annotations: {
      [IMAGE_ANNOTATION]: spec.image,
      [COMMAND_ANNOTATION]: JSON.stringify(ids.processArgs),
      [PORTS_ANNOTATION]: spec.ports.map(formatPort).join(", "),
      [OPTIONS_ANNOTATION]: JSON.stringify({
        autoRemove: spec.autoRemove,
        memoryBytes: spec.memoryBytes ?? 0,
        nanoCpus: spec.cpu ? Math.round((spec.cpu.cpuQuota / spec.cpu.cpuPeriod) * 1e9) : 0,
        pidsLimit: spec.pidsLimit ?? 0,
      }),
    },
    tty: spec.tty,
    stdin: spec.stdin,
    stdinOnce: spec.stdin,
    linux: { resources, securityContext: ownPid },
  };
  const pidsLimit = spec.pidsLimit !== undefined && spec.pidsLimit > 0 ? spec.pidsLimit : undefined;
  return { sandbox, container, ...(pidsLimit !== undefined ? { pidsLimit } : {}) };
}
