/**
 * What the server does to a new object before defaulting (upstream's
 * PrepareForCreate): status is not settable through the main resource, so a
 * new object starts without one and defaulting gives it its first status
 * (pods Pending with their QoS class, namespaces Active, volumes Pending).
 */
import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";

/** Kinds whose status the creator writes (the kubelet registering a Node, an Event's source). */
const STATUS_ON_CREATE = new Set(["nodes", "events", "leases"]);

export function prepareForCreate(d: ResourceDescriptor, obj: KubeObject): void {
  if (!d.subresources.includes("status")) return;
  if (d.group === "" && STATUS_ON_CREATE.has(d.plural)) return;
  delete obj.status;
}
