/**
 * How a sandbox's network namespace gets its interface and IP. The engine
 * only knows this interface; CniPodNetwork runs a CNI network list (bridge,
 * host-local, ...), as containerd's CRI plugin does.
 */
import {
  addNetworkList,
  type CniOptions,
  delNetworkList,
  type NetworkConfigList,
  primaryIp,
} from "../../network/cni/index.js";
import type { PodSandboxConfig } from "../cri.js";

export interface PodNetwork {
  /** Configures the pod's namespace; resolves to the pod IP. */
  attach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<string>;
  /** Undoes attach; must succeed when repeated. */
  detach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<void>;
}

/** The CNI_ARGS the kubelet's runtimes pass, so plugins know the pod. */
function podArgs(config: PodSandboxConfig, sandboxId: string): [string, string][] {
  return [
    ["IgnoreUnknown", "1"],
    ["K8S_POD_NAMESPACE", config.metadata.namespace],
    ["K8S_POD_NAME", config.metadata.name],
    ["K8S_POD_INFRA_CONTAINER_ID", sandboxId],
    ["K8S_POD_UID", config.metadata.uid],
  ];
}

/**
 * The `portMappings` capability argument (the portmap plugin's hostPorts),
 * from the sandbox's port mappings as containerd's CRI plugin builds it.
 */
function capabilityArgs(config: PodSandboxConfig): { capabilityArgs?: Record<string, unknown> } {
  const mappings = (config.portMappings ?? [])
    .filter((m) => m.hostPort)
    .map((m) => ({
      hostPort: m.hostPort,
      containerPort: m.containerPort,
      protocol: (m.protocol ?? "TCP").toLowerCase(),
      ...(m.hostIp ? { hostIP: m.hostIp } : {}),
    }));
  return mappings.length > 0 ? { capabilityArgs: { portMappings: mappings } } : {};
}

export class CniPodNetwork implements PodNetwork {
  constructor(
    readonly list: NetworkConfigList,
    readonly options: CniOptions = {},
  ) {}

  async attach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<string> {
    const result = await addNetworkList(
      this.list,
      {
        containerId: sandboxId,
        netns: netnsPath,
        ifName: "eth0",
        args: podArgs(config, sandboxId),
        ...capabilityArgs(config),
      },
      this.options,
    );
    const ip = primaryIp(result);
    if (ip === undefined)
      throw new Error(`network ${this.list.name} gave sandbox ${sandboxId} no IP`);
    return ip;
  }

  async detach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<void> {
    await delNetworkList(
      this.list,
      {
        containerId: sandboxId,
        netns: netnsPath,
        ifName: "eth0",
        args: podArgs(config, sandboxId),
        ...capabilityArgs(config),
      },
      undefined,
      this.options,
    );
  }
}
