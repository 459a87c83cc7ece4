/**
 * Container resources to CRI Linux resources, as upstream's
 * kuberuntime_container_linux.go: cpu request → shares, cpu limit → CFS
 * quota over a 100 ms period, memory limit → bytes, and the QoS-driven
 * oom_score_adj.
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../machinery/quantity/index.js";
import type { LinuxContainerResources } from "../../runtime/cri.js";
import { podQos } from "../pods/qos.js";

const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const CPU_PERIOD = 100_000;
const MIN_QUOTA = 1000;
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

function milli(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  try {
    return parseQuantity(q).milliValue();
  } catch {
    return undefined;
  }
}

function bytes(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  try {
    return parseQuantity(q).value();
  } catch {
    return undefined;
  }
}

export function milliCpuToShares(m: number | undefined): number {
  if (!m) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((m * 1024) / 1000)));
}

export function milliCpuToQuota(m: number, period = CPU_PERIOD): number {
  return Math.max(MIN_QUOTA, Math.floor((m * period) / 1000));
}

export function oomScoreAdj(pod: Pod, container: Container, memoryCapacity: number): number {
  const qos = podQos(pod);
  if (qos === "Guaranteed") return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === "BestEffort") return BEST_EFFORT_OOM_SCORE_ADJ;
  const request = bytes(container.resources?.requests?.memory) ?? 0;
  if (memoryCapacity <= 0) return BEST_EFFORT_OOM_SCORE_ADJ - 1;
  const adj = 1000 - Math.floor((1000 * request) / memoryCapacity);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

export function linuxResources(
  pod: Pod,
  container: Container,
  memoryCapacity: number,
): LinuxContainerResources {
  const r = container.resources ?? {};
  // A limit without a request requests the limit (API defaulting does this too).
  const cpuRequest = milli(r.requests?.cpu) ?? milli(r.limits?.cpu);
  const cpuLimit = milli(r.limits?.cpu);
  const memLimit = bytes(r.limits?.memory);
  return {
    cpuShares: milliCpuToShares(cpuRequest),
    ...(cpuLimit ? { cpuPeriod: CPU_PERIOD, cpuQuota: milliCpuToQuota(cpuLimit) } : {}),
    ...(memLimit ? { memoryLimitInBytes: memLimit } : {}),
    oomScoreAdj: oomScoreAdj(pod, container, memoryCapacity),
  };
}
