/**
 * The proxy's view of the cluster, from the informer caches: the service
 * ports to program, their endpoints, and what this node contributes
 * (labels for topology, addresses for load-balancer source ranges).
 */
import type { Node, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { endpointsByServicePort } from "./endpoints.js";
import { isIPv4 } from "./ipv4.js";
import type { RulesInput } from "./rules.js";
import { servicePortsOf } from "./service-port.js";

export function rulesInput(
  objects: { services: Iterable<Service>; slices: Iterable<EndpointSlice> },
  opts: { hostname: string },
): RulesInput {
  const services = [];
  for (const svc of objects.services) services.push(...servicePortsOf(svc));
  return { services, endpoints: endpointsByServicePort(objects.slices, opts) };
}

export function nodeIPs(node: Node | undefined): string[] {
  return (node?.status?.addresses ?? [])
    .filter((a) => a.type === "InternalIP" || a.type === "ExternalIP")
    .map((a) => a.address)
    .filter(isIPv4);
}

/** What of a Node the rules depend on: a change elsewhere (heartbeats) needs no sync. */
export function nodeFingerprint(node: Node | undefined): string {
  return JSON.stringify([node?.metadata?.labels ?? {}, nodeIPs(node)]);
}

/** What of a Service the rules depend on: metadata-only updates need no sync. */
export function serviceFingerprint(svc: Service): string {
  return JSON.stringify([svc.spec ?? {}, svc.status?.loadBalancer ?? {}]);
}
