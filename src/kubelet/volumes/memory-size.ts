/**
 * The size of a memory-backed (tmpfs) volume (upstream emptydir
 * calculateEmptyDirMemorySize): the smallest positive of the node's
 * allocatable memory, the pod's memory limit and the volume's sizeLimit.
 * With none of them the kernel default applies (half of RAM). Pure.
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../machinery/quantity/index.js";

function bytes(value: string | number | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  return parseQuantity(String(value)).scaledValue(0);
}

function memoryLimit(c: Container): bigint {
  return bytes(c.resources?.limits?.memory) ?? 0n;
}

/**
 * The pod's memory limit as its cgroup gets it (upstream PodLimits): app
 * containers and sidecars summed, or the largest init container plus the
 * sidecars started before it, whichever is more, plus the pod overhead.
 * Undefined unless every container declares a memory limit.
 */
export function podMemoryLimit(pod: Pod): bigint | undefined {
  const spec = pod.spec;
  if (spec === undefined) return undefined;
  const inits = spec.initContainers ?? [];
  const all = [...spec.containers, ...inits];
  if (all.some((c) => memoryLimit(c) === 0n)) return undefined;
  let sidecars = 0n;
  let initPeak = 0n;
  for (const c of inits) {
    if (c.restartPolicy === "Always") sidecars += memoryLimit(c);
    else if (sidecars + memoryLimit(c) > initPeak) initPeak = sidecars + memoryLimit(c);
  }
  const running = spec.containers.reduce((sum, c) => sum + memoryLimit(c), 0n) + sidecars;
  const peak = running > initPeak ? running : initPeak;
  return peak + (bytes(spec.overhead?.memory) ?? 0n);
}

export interface TmpfsSizeOptions {
  /** The volume's own limit (emptyDir.sizeLimit); absent for secret and projected volumes. */
  sizeLimit?: string | number | undefined;
  /** The node's allocatable memory; absent means no node bound. */
  nodeAllocatableMemory?: string | undefined;
}

/** The tmpfs `size=` in bytes for a memory-backed volume of `pod`, or undefined for the kernel default. */
export function tmpfsSizeBytes(pod: Pod, opts: TmpfsSizeOptions = {}): bigint | undefined {
  let size = bytes(opts.nodeAllocatableMemory);
  if (size !== undefined && size <= 0n) size = undefined;
  for (const candidate of [podMemoryLimit(pod), bytes(opts.sizeLimit)]) {
    if (candidate !== undefined && candidate > 0n && (size === undefined || candidate <= size))
      size = candidate;
  }
  return size;
}
