/** A Pod to the CRI PodSandboxConfig (upstream's generatePodSandboxConfig), pure. */
import type { Pod } from "kubernetes-types/core/v1.js";
import type { DNSConfig, NamespaceMode, PodSandboxConfig, PortMapping } from "../../runtime/cri.js";
import { type PodRef, sandboxLabels } from "./labels.js";

export interface SandboxInputs {
  readonly attempt: number;
  readonly hostname: string;
  readonly dnsConfig: DNSConfig;
  /** Directory for this pod's container logs. */
  readonly logDirectory: string;
  readonly cgroupParent?: string;
}

export function podRef(pod: Pod): PodRef {
  return {
    name: pod.metadata?.name ?? "",
    namespace: pod.metadata?.namespace ?? "default",
    uid: pod.metadata?.uid ?? "",
  };
}

/** `<logs>/<namespace>_<name>_<uid>`, upstream's pod log directory naming. */
export const podLogDirName = (pod: Pod) =>
  `${pod.metadata?.namespace ?? "default"}_${pod.metadata?.name ?? ""}_${pod.metadata?.uid ?? ""}`;

export function namespaceOptions(pod: Pod): {
  network: NamespaceMode;
  pid: NamespaceMode;
  ipc: NamespaceMode;
} {
  const s = pod.spec ?? { containers: [] };
  return {
    network: s.hostNetwork ? "NODE" : "POD",
    pid: s.hostPID ? "NODE" : s.shareProcessNamespace ? "POD" : "CONTAINER",
    ipc: s.hostIPC ? "NODE" : "POD",
  };
}

function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({
        protocol: (p.protocol ?? "TCP") as PortMapping["protocol"] & string,
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        ...(p.hostIP ? { hostIp: p.hostIP } : {}),
      });
    }
  }
  return out;
}

export function sandboxConfig(pod: Pod, inputs: SandboxInputs): PodSandboxConfig {
  const ref = podRef(pod);
  const sc = pod.spec?.securityContext;
  const sysctls: Record<string, string> = {};
  for (const s of sc?.sysctls ?? []) sysctls[s.name] = s.value;
  const ports = portMappings(pod);
  return {
    metadata: { ...ref, attempt: inputs.attempt },
    hostname: inputs.hostname,
    logDirectory: inputs.logDirectory,
    dnsConfig: inputs.dnsConfig,
    ...(ports.length ? { portMappings: ports } : {}),
    labels: sandboxLabels(ref, pod.metadata?.labels ?? {}),
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    linux: {
      ...(inputs.cgroupParent ? { cgroupParent: inputs.cgroupParent } : {}),
      securityContext: {
        namespaceOptions: namespaceOptions(pod),
        ...(sc?.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
        ...(sc?.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
        ...(sc?.supplementalGroups ? { supplementalGroups: sc.supplementalGroups } : {}),
        privileged: (pod.spec?.containers ?? []).some((c) => c.securityContext?.privileged),
      },
      ...(Object.keys(sysctls).length ? { sysctls } : {}),
    },
  };
}
