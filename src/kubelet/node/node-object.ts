/**
 * The Node object the kubelet registers and the status it keeps posting,
 * built purely from machine facts (upstream's nodestatus setters): capacity,
 * allocatable (capacity less the default 100Mi memory eviction threshold),
 * nodeInfo, addresses, well-known labels and the four conditions.
 */
import type { Node, NodeCondition, NodeStatus, Taint } from "kubernetes-types/core/v1.js";
import { KUBERNETES_VERSION } from "../../version.js";
import type { MachineInfo } from "./machine-info.js";

export const MAX_PODS = 110;
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;

export interface NodeOptions {
  readonly nodeName: string;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly runtimeVersion: string;
  readonly podCIDR?: string;
  /** The kubelet server's port (daemonEndpoints). Default 10250. */
  readonly kubeletPort?: number;
}

export const kubeletVersion = () => KUBERNETES_VERSION.gitVersion;

export function nodeLabels(info: MachineInfo, opts: NodeOptions): Record<string, string> {
  return {
    "kubernetes.io/hostname": opts.nodeName,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": info.architecture,
    "beta.kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": info.architecture,
    ...(opts.labels ?? {}),
  };
}

export function initialNode(info: MachineInfo, opts: NodeOptions, now: number): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: opts.nodeName,
      labels: nodeLabels(info, opts),
      annotations: { "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: {
      ...(opts.taints?.length ? { taints: opts.taints } : {}),
      ...(opts.podCIDR ? { podCIDR: opts.podCIDR, podCIDRs: [opts.podCIDR] } : {}),
    },
    status: nodeStatus(info, opts, undefined, now, { ready: true }),
  };
}

export interface Health {
  readonly ready: boolean;
  readonly message?: string;
  readonly memoryPressure?: boolean;
  readonly diskPressure?: boolean;
  readonly pidPressure?: boolean;
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function cond(
  type: string,
  status: boolean,
  reason: string,
  message: string,
  old: NodeCondition[] | undefined,
  now: number,
): NodeCondition {
  const s = status ? "True" : "False";
  const prev = old?.find((c) => c.type === type);
  return {
    type,
    status: s,
    reason,
    message,
    lastHeartbeatTime: iso(now),
    lastTransitionTime:
      prev && prev.status === s && prev.lastTransitionTime ? prev.lastTransitionTime : iso(now),
  };
}

export function nodeStatus(
  info: MachineInfo,
  opts: NodeOptions,
  old: NodeStatus | undefined,
  now: number,
  health: Health,
): NodeStatus {
  const capacity = {
    cpu: String(info.cpus),
    memory: `${Math.floor(info.memoryBytes / 1024)}Ki`,
    "ephemeral-storage": `${Math.floor(info.ephemeralStorageBytes / 1024)}Ki`,
    pods: String(MAX_PODS),
    "hugepages-2Mi": "0",
  };
  const allocatable = {
    ...capacity,
    memory: `${Math.max(0, Math.floor((info.memoryBytes - EVICTION_MEMORY_BYTES) / 1024))}Ki`,
    // 10% of the disk is the default nodefs eviction threshold.
    "ephemeral-storage": String(Math.floor(info.ephemeralStorageBytes * 0.9)),
  };
  const oc = old?.conditions;
  return {
    capacity,
    allocatable,
    conditions: [
      health.memoryPressure
        ? cond(
            "MemoryPressure",
            true,
            "KubeletHasInsufficientMemory",
            "kubelet has insufficient memory available",
            oc,
            now,
          )
        : cond(
            "MemoryPressure",
            false,
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            oc,
            now,
          ),
      health.diskPressure
        ? cond("DiskPressure", true, "KubeletHasDiskPressure", "kubelet has disk pressure", oc, now)
        : cond(
            "DiskPressure",
            false,
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            oc,
            now,
          ),
      health.pidPressure
        ? cond(
            "PIDPressure",
            true,
            "KubeletHasInsufficientPID",
            "kubelet has insufficient PID available",
            oc,
            now,
          )
        : cond(
            "PIDPressure",
            false,
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            oc,
            now,
          ),
      health.ready
        ? cond(
            "Ready",
            true,
            "KubeletReady",
            health.message ?? "kubelet is posting ready status",
            oc,
            now,
          )
        : cond(
            "Ready",
            false,
            "KubeletNotReady",
            health.message ?? "kubelet is not ready",
            oc,
            now,
          ),
    ],
    addresses: [
      ...info.internalIPs.map((address) => ({ type: "InternalIP", address })),
      { type: "Hostname", address: opts.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: opts.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: info.machineID,
      systemUUID: info.systemUUID,
      bootID: info.bootID,
      kernelVersion: info.kernelVersion,
      osImage: info.osImage,
      containerRuntimeVersion: opts.runtimeVersion,
      kubeletVersion: kubeletVersion(),
      kubeProxyVersion: kubeletVersion(),
      operatingSystem: "linux",
      architecture: info.architecture,
    },
  };
}

/** Status equality ignoring heartbeat times (a change worth posting before the report interval). */
export function statusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  if (!a) return true;
  const strip = (s: NodeStatus) =>
    JSON.stringify({ ...s, conditions: s.conditions?.map(({ lastHeartbeatTime: _h, ...c }) => c) });
  return strip(a) !== strip(b);
}
