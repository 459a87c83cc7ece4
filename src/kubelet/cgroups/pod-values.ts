/**
 * The pod-level cgroup hierarchy of the kubelet's cgroupfs driver, pure:
 * names (`<root>/kubepods`, `.../burstable`, `.../besteffort`, and
 * `pod<uid>` in the pod's QoS tier, Guaranteed pods directly under
 * kubepods) and the values a pod's cgroup gets from the sum of its
 * containers' requests and limits (upstream's ResourceConfigForPod, here
 * `podResources`), as the files runc would write for the same resources.
 */
import { posix } from "node:path";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../machinery/quantity/index.js";
import { type CgroupFiles, cgroupV1Files, cgroupV2Files } from "../../runtime/cgroups/index.js";
import { type ContainerRequirements, MIN_SHARES, podResources } from "../../runtime/spec/index.js";
import type { LinuxResources } from "../../runtime/spec/types.js";
import { podQos, type QosClass } from "../pods/qos.js";

/** The cgroup every pod lives under, below the node's cgroup root (kubelet --cgroup-root). */
export const KUBEPODS = "kubepods";

const TIERS = { Burstable: "burstable", BestEffort: "besteffort" } as const;

/** `<root>/kubepods` as an absolute cgroup path. */
export function kubepodsPath(root: string): string {
  return posix.join("/", root, KUBEPODS);
}

/** The QoS tiers' cgroups: kubepods itself (Guaranteed), burstable, besteffort. */
export function tierPaths(root: string): Record<QosClass, string> {
  const base = kubepodsPath(root);
  return {
    Guaranteed: base,
    Burstable: posix.join(base, TIERS.Burstable),
    BestEffort: posix.join(base, TIERS.BestEffort),
  };
}

/** The pod's cgroup (its CRI cgroupParent): `<root>/kubepods[/<tier>]/pod<uid>`. */
export function podCgroupPath(root: string, pod: Pod): string {
  return posix.join(tierPaths(root)[podQos(pod)], `pod${pod.metadata?.uid ?? ""}`);
}

/** The pod uid a `pod<uid>` directory name stands for, or undefined for any other name. */
export function podUidOf(dirName: string): string | undefined {
  return /^pod([0-9a-zA-Z-]+)$/.exec(dirName)?.[1];
}

function amount(q: string | undefined, milli: boolean): number | undefined {
  if (q === undefined) return undefined;
  try {
    const v = parseQuantity(q);
    return milli ? v.milliValue() : v.value();
  } catch {
    return undefined;
  }
}

/** A container's CPU and memory, a limit alone also being its request (API defaulting). */
export function requirementsOf(c: Container): ContainerRequirements {
  const { requests = {}, limits = {} } = c.resources ?? {};
  const out: ContainerRequirements = {};
  const cpuLimit = amount(limits.cpu, true);
  const memLimit = amount(limits.memory, false);
  const cpuRequest = amount(requests.cpu, true) ?? cpuLimit;
  const memRequest = amount(requests.memory, false) ?? memLimit;
  if (cpuRequest !== undefined) out.cpuRequestMilli = cpuRequest;
  if (cpuLimit !== undefined) out.cpuLimitMilli = cpuLimit;
  if (memRequest !== undefined) out.memoryRequestBytes = memRequest;
  if (memLimit !== undefined) out.memoryLimitBytes = memLimit;
  return out;
}

/** What the pod's cgroup enforces: shares always, quota and memory limit when the pod has them. */
export function podCgroupResources(pod: Pod): LinuxResources {
  const overhead = pod.spec?.overhead;
  const config = podResources({
    containers: (pod.spec?.containers ?? []).map(requirementsOf),
    initContainers: (pod.spec?.initContainers ?? []).map(requirementsOf),
    ...(overhead
      ? { overhead: requirementsOf({ name: "", resources: { limits: overhead } }) }
      : {}),
  });
  const cpu: NonNullable<LinuxResources["cpu"]> = {
    shares: podQos(pod) === "BestEffort" ? MIN_SHARES : config.cpuShares,
  };
  if (config.cpuQuota !== undefined) cpu.quota = config.cpuQuota;
  if (config.cpuPeriod !== undefined) cpu.period = config.cpuPeriod;
  const out: LinuxResources = { cpu };
  if (config.memoryLimitBytes) out.memory = { limit: config.memoryLimitBytes };
  return out;
}

/**
 * The files to write in a cgroup for `resources`: v1 keys are
 * `controller/file`, v2 keys plain file names of the unified directory.
 */
export function cgroupFiles(resources: LinuxResources, unified: boolean): CgroupFiles {
  return unified ? cgroupV2Files(resources) : cgroupV1Files(resources);
}

/** The besteffort tier gets the smallest CPU weight there is (upstream's QoS manager). */
export const BEST_EFFORT_TIER: LinuxResources = { cpu: { shares: MIN_SHARES } };
