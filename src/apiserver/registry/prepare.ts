/**
 * What the server itself sets on objects, per kind, before defaulting and
 * validation: upstream's PrepareForCreate/PrepareForUpdate. Status is not
 * settable through the main resource; a few kinds start with a status.
 */
import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";

/** Kinds whose status users may set on create (the status comes from the creator). */
const STATUS_ON_CREATE = new Set(["nodes", "events", "leases"]);

export function prepareForCreate(d: ResourceDescriptor, obj: KubeObject): void {
  const hasStatus = d.subresources.includes("status");
  if (hasStatus && !(d.group === "" && STATUS_ON_CREATE.has(d.plural))) {
    delete obj.status;
  }
  if (d.group !== "") return;
  switch (d.plural) {
    case "pods":
      obj.status = { phase: "Pending", qosClass: qosClass(obj) };
      break;
    case "namespaces":
      obj.status = { phase: "Active" };
      break;
    case "persistentvolumes":
      obj.status = { phase: "Pending" };
      break;
    case "persistentvolumeclaims":
      obj.status = { phase: "Pending" };
      break;
  }
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Container = { resources?: Resources };

/**
 * The pod's QoS class: Guaranteed when every container limits cpu and memory
 * and requests equal limits, BestEffort when nothing is requested or limited,
 * Burstable otherwise. (Runs after defaulting, which copies limits into
 * missing requests.)
 */
export function qosClass(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ["cpu", "memory"]) {
      if (req[r] !== undefined || lim[r] !== undefined) anySet = true;
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || q !== l) guaranteed = false;
    }
  }
  if (!anySet) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
