/**
 * Kubernetes requests and limits → CRI LinuxContainerResources → OCI
 * linux.resources, computed the way the kubelet (pkg/kubelet/cm and
 * kuberuntime) and containerd's CRI plugin do. Inputs are plain numbers:
 * CPU in millicores (`100m` → 100), memory in bytes (`32Mi` → 33554432).
 */
import type { LinuxContainerResources } from "../cri.js";
import type { LinuxResources } from "./types.js";

/** Kernel bounds of cpu.shares. */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
const MILLI_PER_CPU = 1000;
/** The CFS period the kubelet uses: 100 ms, in microseconds. */
export const QUOTA_PERIOD = 100000;
/** The smallest CFS quota the kernel accepts: 1 ms, in microseconds. */
export const MIN_QUOTA_PERIOD = 1000;

/** cpu.shares for a CPU request: max(2, milli*1024/1000), capped at 262144; 0 → 2. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / MILLI_PER_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** CFS quota (µs per period) for a CPU limit: milli*period/1000, at least 1000; 0 → 0 (no limit). */
export function milliCpuToQuota(milliCpu: number, period: number = QUOTA_PERIOD): number {
  if (milliCpu === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milliCpu * period) / MILLI_PER_CPU));
}

/** CPU and memory of one container as the pod spec gives them (after API defaulting). */
export interface ContainerRequirements {
  cpuRequestMilli?: number;
  cpuLimitMilli?: number;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
}

export interface ContainerResourcesOptions extends ContainerRequirements {
  /** Enforce CPU limits with CFS quota (kubelet --cpu-cfs-quota). Default true. */
  cpuCfsQuota?: boolean;
  /** CFS period in µs (kubelet --cpu-cfs-quota-period). Default 100000. */
  cpuPeriod?: number;
  /** The container's oom_score_adj (see oomScoreAdj). Default: not set. */
  oomScoreAdj?: number;
  /**
   * The node runs cgroup v2 unified: the kubelet then asks for
   * `memory.oom.group=1` so an OOM kills the whole container. Default false
   * (this project's machines are cgroup v1 hybrid).
   */
  cgroupV2?: boolean;
}

/**
 * The CRI resources the kubelet sends for a container: shares from the
 * request (or the limit when only a limit is given), quota from the limit
 * with the period always set, the memory limit when there is one.
 */
export function containerResources(options: ContainerResourcesOptions): LinuxContainerResources {
  const request = options.cpuRequestMilli ?? 0;
  const limit = options.cpuLimitMilli ?? 0;
  const result: LinuxContainerResources = {
    cpuShares: milliCpuToShares(request === 0 && limit !== 0 ? limit : request),
  };
  const memory = options.memoryLimitBytes ?? 0;
  if (memory !== 0) result.memoryLimitInBytes = memory;
  if (options.cpuCfsQuota ?? true) {
    const period = options.cpuPeriod ?? QUOTA_PERIOD;
    result.cpuQuota = milliCpuToQuota(limit, period);
    result.cpuPeriod = period;
  }
  if (options.oomScoreAdj !== undefined) result.oomScoreAdj = options.oomScoreAdj;
  if (options.cgroupV2) result.unified = { "memory.oom.group": "1" };
  return result;
}

export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

/**
 * The pod's QoS class (v1 GetPodQOS): BestEffort when no container has any
 * CPU or memory request or limit; Guaranteed when every container has CPU
 * and memory limits and the summed requests equal the summed limits;
 * Burstable otherwise.
 */
export function qosClass(containers: readonly ContainerRequirements[]): QOSClass {
  let cpuReq = 0;
  let memReq = 0;
  let cpuLim = 0;
  let memLim = 0;
  let anyReq = false;
  let anyLim = false;
  let everyLimited = true;
  for (const c of containers) {
    cpuReq += c.cpuRequestMilli ?? 0;
    memReq += c.memoryRequestBytes ?? 0;
    cpuLim += c.cpuLimitMilli ?? 0;
    memLim += c.memoryLimitBytes ?? 0;
    if ((c.cpuRequestMilli ?? 0) > 0 || (c.memoryRequestBytes ?? 0) > 0) anyReq = true;
    if ((c.cpuLimitMilli ?? 0) > 0 || (c.memoryLimitBytes ?? 0) > 0) anyLim = true;
    if (!((c.cpuLimitMilli ?? 0) > 0 && (c.memoryLimitBytes ?? 0) > 0)) everyLimited = false;
  }
  if (!anyReq && !anyLim) return "BestEffort";
  if (everyLimited && cpuReq === cpuLim && memReq === memLim) return "Guaranteed";
  return "Burstable";
}

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;

/**
 * A container's oom_score_adj (the kubelet's GetContainerOOMScoreAdjust):
 * -997 for Guaranteed and node-critical pods, 1000 for BestEffort, and for
 * Burstable 1000 - 1000*request/capacity clamped to [3, 999].
 */
export function oomScoreAdj(options: {
  qos: QOSClass;
  /** The container's memory request in bytes. */
  memoryRequestBytes?: number;
  /** The node's memory capacity in bytes. */
  memoryCapacityBytes: number;
  /** A node-critical pod (system-node-critical priority, static pods). Default false. */
  nodeCritical?: boolean;
}): number {
  if (options.nodeCritical || options.qos === "Guaranteed") return GUARANTEED_OOM_SCORE_ADJ;
  if (options.qos === "BestEffort") return BESTEFFORT_OOM_SCORE_ADJ;
  const request = options.memoryRequestBytes ?? 0;
  const adj = 1000 - Math.floor((1000 * request) / options.memoryCapacityBytes);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/** The pod cgroup's values (the kubelet's ResourceConfigForPod); absent fields stay unset. */
export interface PodResourceConfig {
  qos: QOSClass;
  cpuShares: number;
  /** -1 when CPU limits are not enforced. */
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitBytes?: number;
}

/**
 * Values for the pod-level cgroup: requests and limits are the sum over the
 * app containers, raised to the largest init container's (init containers
 * run one at a time), plus the pod overhead. Guaranteed pods get shares,
 * quota and memory limit; Burstable pods shares, and quota or memory limit
 * only when every container declares that limit; BestEffort pods 2 shares.
 * Restartable init containers (sidecars) are counted as plain init containers.
 */
export function podResources(options: {
  containers: readonly ContainerRequirements[];
  initContainers?: readonly ContainerRequirements[];
  /** RuntimeClass overhead. Default none. */
  overhead?: ContainerRequirements;
  /** Enforce CPU limits with CFS quota. Default true. */
  enforceCpuLimits?: boolean;
  /** CFS period in µs. Default 100000. */
  cpuPeriod?: number;
}): PodResourceConfig {
  const inits = options.initContainers ?? [];
  const all = [...options.containers, ...inits];
  const sum = (key: keyof ContainerRequirements) => {
    const apps = options.containers.reduce((t, c) => t + (c[key] ?? 0), 0);
    const init = inits.reduce((m, c) => Math.max(m, c[key] ?? 0), 0);
    return Math.max(apps, init) + (options.overhead?.[key] ?? 0);
  };
  const qos = qosClass(all);
  const period = options.cpuPeriod ?? QUOTA_PERIOD;
  const cpuShares = milliCpuToShares(sum("cpuRequestMilli"));
  const cpuQuota =
    (options.enforceCpuLimits ?? true) ? milliCpuToQuota(sum("cpuLimitMilli"), period) : -1;
  const memoryLimit = sum("memoryLimitBytes");
  const cpuLimited = all.every((c) => (c.cpuLimitMilli ?? 0) > 0);
  const memoryLimited = all.every((c) => (c.memoryLimitBytes ?? 0) > 0);
  if (qos === "BestEffort") return { qos, cpuShares: MIN_SHARES };
  const result: PodResourceConfig = { qos, cpuShares };
  if (qos === "Guaranteed" || cpuLimited) {
    result.cpuQuota = cpuQuota;
    result.cpuPeriod = period;
  }
  if (qos === "Guaranteed" || memoryLimited) result.memoryLimitBytes = memoryLimit;
  return result;
}

/**
 * OCI linux.resources from CRI resources, as containerd's WithResources:
 * zero fields stay unset; the swap limit equals the memory limit (no swap)
 * unless the CRI gives one, and only where the swap controller exists.
 * Device rules are not touched here.
 */
export function ociResources(
  resources: LinuxContainerResources,
  options: {
    /** The kernel has the swap controller (memory.memsw.* / memory.swap.max). Default true. */
    swapController?: boolean;
  } = {},
): LinuxResources {
  const out: LinuxResources = {};
  const cpu: NonNullable<LinuxResources["cpu"]> = {};
  if (resources.cpuShares) cpu.shares = resources.cpuShares;
  if (resources.cpuQuota) cpu.quota = resources.cpuQuota;
  if (resources.cpuPeriod) cpu.period = resources.cpuPeriod;
  if (resources.cpusetCpus) cpu.cpus = resources.cpusetCpus;
  if (resources.cpusetMems) cpu.mems = resources.cpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  const swap = options.swapController ?? true;
  const limit = resources.memoryLimitInBytes ?? 0;
  const swapLimit = resources.memorySwapLimitInBytes ?? 0;
  const memory: NonNullable<LinuxResources["memory"]> = {};
  if (limit !== 0) {
    memory.limit = limit;
    if (swap) memory.swap = limit;
  }
  if (swapLimit !== 0 && swap) memory.swap = swapLimit;
  if (Object.keys(memory).length > 0) out.memory = memory;
  if (resources.hugepageLimits?.length) {
    out.hugepageLimits = resources.hugepageLimits.map((h) => ({
      pageSize: h.pageSize,
      limit: h.limit,
    }));
  }
  if (resources.unified && Object.keys(resources.unified).length > 0) {
    out.unified = { ...resources.unified };
  }
  return out;
}
