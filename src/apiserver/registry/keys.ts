import type { ResourceDescriptor } from "../../api/resources.js";
import type { QualifiedResource } from "../status.js";

/**
 * Where a resource's objects live in the store. Resources served in several
 * versions or groups share one place (autoscaling/v1 and v2 HPAs; core and
 * events.k8s.io Events), as upstream stores one version of each resource.
 */
const SHARED_STORAGE: Record<string, string> = {
  "events.k8s.io/events": "events",
  "autoscaling/horizontalpodautoscalers": "autoscaling/horizontalpodautoscalers",
};

export function storageResource(d: { group: string; plural: string }): string {
  const id = d.group === "" ? d.plural : `${d.group}/${d.plural}`;
  return SHARED_STORAGE[id] ?? id;
}

/** `/registry/pods/` or `/registry/apps/deployments/`, optionally narrowed to a namespace. */
export function prefixFor(d: { group: string; plural: string }, namespace?: string): string {
  const base = `/registry/${storageResource(d)}/`;
  return namespace ? `${base}${namespace}/` : base;
}

export function keyFor(d: ResourceDescriptor, namespace: string, name: string): string {
  return d.namespaced ? `${prefixFor(d, namespace)}${name}` : `${prefixFor(d)}${name}`;
}

export function qualifiedResource(d: { group: string; plural: string }): QualifiedResource {
  return { group: d.group, resource: d.plural };
}

/**
 * Kinds whose metadata.generation upstream maintains (it counts changes of
 * the desired state, so controllers can report observedGeneration).
 */
const GENERATION_GROUPS = new Set([
  "apiextensions.k8s.io",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "discovery.k8s.io",
]);
const GENERATION_CORE = new Set(["replicationcontrollers"]);

export function usesGeneration(d: { group: string; plural: string }): boolean {
  return d.group === "" ? GENERATION_CORE.has(d.plural) : GENERATION_GROUPS.has(d.group);
}
