/**
 * Resource vectors as the scheduler counts them (upstream's framework.Resource
 * and resourcehelper.PodRequests): CPU in millicores, memory and
 * ephemeral-storage in bytes, everything else (hugepages, extended resources,
 * attachable volumes) as whole-unit scalars.
 */
import type { Container, Node, Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../machinery/quantity/index.js";

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Only meaningful for allocatable: `status.allocatable.pods`. */
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

/** Upstream's DefaultMilliCPURequest: what a container without a CPU request counts as for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Upstream's DefaultMemoryRequest (200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

/** Resources counted as scalars: hugepages-*, attachable-volumes-*, and extended (domain/name) ones. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) return true;
  return isExtendedResourceName(name);
}

/** A fully qualified name outside kubernetes.io that is not `requests.`-prefixed. */
export function isExtendedResourceName(name: string): boolean {
  const slash = name.indexOf("/");
  if (slash < 0) return false;
  const domain = name.slice(0, slash);
  if (domain === "kubernetes.io" || domain.endsWith(".kubernetes.io")) return false;
  return !name.startsWith("requests.");
}

type ResourceList = Readonly<Record<string, string>>;

function quantityOf(value: string | undefined, milli: boolean): number {
  if (value === undefined) return 0;
  const q = parseQuantity(value);
  return milli ? q.milliValue() : q.value();
}

/** Add one ResourceList into `into`, in scheduler units; unknown names are ignored. */
function addList(into: Resource, list: ResourceList | undefined): void {
  if (!list) return;
  for (const [name, value] of Object.entries(list)) {
    switch (name) {
      case "cpu":
        into.milliCPU += quantityOf(value, true);
        break;
      case "memory":
        into.memory += quantityOf(value, false);
        break;
      case "ephemeral-storage":
        into.ephemeralStorage += quantityOf(value, false);
        break;
      case "pods":
        into.allowedPodNumber += quantityOf(value, false);
        break;
      default:
        if (isScalarResourceName(name)) {
          into.scalar[name] = (into.scalar[name] ?? 0) + quantityOf(value, false);
        }
    }
  }
}

export function addResource(into: Resource, other: Resource): void {
  into.milliCPU += other.milliCPU;
  into.memory += other.memory;
  into.ephemeralStorage += other.ephemeralStorage;
  into.allowedPodNumber += other.allowedPodNumber;
  for (const [k, v] of Object.entries(other.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
}

export function subtractResource(from: Resource, other: Resource): void {
  from.milliCPU -= other.milliCPU;
  from.memory -= other.memory;
  from.ephemeralStorage -= other.ephemeralStorage;
  from.allowedPodNumber -= other.allowedPodNumber;
  for (const [k, v] of Object.entries(other.scalar)) from.scalar[k] = (from.scalar[k] ?? 0) - v;
}

function maxInto(into: Resource, other: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, other.milliCPU);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const [k, v] of Object.entries(other.scalar))
    into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
}

/** A resource list in scheduler units. */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  addList(r, list);
  return r;
}

/** `status.allocatable` of a node (upstream's NodeInfo.Allocatable). */
export function nodeAllocatable(node: Node): Resource {
  return resourceFromList(node.status?.allocatable);
}

export interface PodRequestOptions {
  /**
   * Count a container with no CPU or memory request as requesting the
   * defaults (100m, 200Mi), as scoring does (upstream's
   * NonMissingContainerRequests). Default false.
   */
  readonly nonZero?: boolean;
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const requests = c.resources?.requests;
  const r = resourceFromList(requests);
  if (nonZero) {
    if (requests?.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

function isRestartable(c: Container): boolean {
  return c.restartPolicy === "Always";
}

/**
 * What a pod asks of a node: the sum of its containers (plus sidecars, the
 * restartable init containers, which keep running), or the largest init
 * container step if larger (a regular init container runs beside the sidecars
 * started before it), plus `spec.overhead`.
 */
export function computePodResourceRequest(pod: Pod, opts: PodRequestOptions = {}): Resource {
  const nonZero = opts.nonZero ?? false;
  const reqs = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(reqs, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    let step: Resource;
    if (isRestartable(c)) {
      addResource(reqs, own);
      addResource(sidecars, own);
      step = sidecars;
    } else {
      step = cloneResource(own);
      addResource(step, sidecars);
    }
    maxInto(initMax, step);
  }
  maxInto(reqs, initMax);
  addList(reqs, pod.spec?.overhead);
  return reqs;
}

/** Whether any request is non-zero (a best-effort pod asks for nothing). */
export function hasAnyRequest(r: Resource): boolean {
  return (
    r.milliCPU > 0 ||
    r.memory > 0 ||
    r.ephemeralStorage > 0 ||
    Object.values(r.scalar).some((v) => v > 0)
  );
}
