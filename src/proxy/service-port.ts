/**
 * What the proxy needs to know about one port of one Service: upstream's
 * ServicePort (pkg/proxy/serviceport.go), computed once from the API
 * object so rule generation never looks at raw specs.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import { isIPv4, isIPv4Cidr } from "./ipv4.js";
import { type ServiceChains, serviceChains, servicePortName } from "./names.js";

/** Upstream's default ClientIP affinity timeout (3 hours). */
export const DEFAULT_STICKY_SECONDS = 10_800;

export interface ServicePortInfo {
  /** `ns/name:port`: the hash input and the rule comment. */
  readonly name: string;
  /** Key of this port in the endpoints map: `ns/name:port/PROTOCOL`. */
  readonly key: string;
  readonly namespace: string;
  readonly serviceName: string;
  /** Lower-case, as iptables spells it: tcp, udp, sctp. */
  readonly protocol: string;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the port has none. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress IPs that are VIPs (not ipMode Proxy). */
  readonly loadBalancerIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  /** ClientIP affinity timeout in seconds; 0 when sessionAffinity is None. */
  readonly stickySeconds: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  readonly chains: ServiceChains;
}

/** The key of a service port in the endpoints map (the port's name alone is not unique across protocols). */
export function servicePortKey(name: string, protocol: string): string {
  return `${name}/${protocol.toUpperCase()}`;
}

/** A Service gets no rules without a cluster IP (headless, ExternalName) — upstream's ShouldSkipService. */
function proxied(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== "None" && svc.spec?.type !== "ExternalName" && isIPv4(ip);
}

/** Every port of a Service as the proxy sees it (none for services it does not proxy). */
export function servicePortsOf(svc: Service): ServicePortInfo[] {
  if (!proxied(svc)) return [];
  const spec = svc.spec ?? {};
  const namespace = svc.metadata?.namespace ?? "default";
  const serviceName = svc.metadata?.name ?? "";
  const externalIPs = (spec.externalIPs ?? []).filter(isIPv4);
  const loadBalancerIPs = (svc.status?.loadBalancer?.ingress ?? [])
    .filter((i) => i.ip && i.ipMode !== "Proxy" && isIPv4(i.ip))
    .map((i) => i.ip as string);
  const loadBalancerSourceRanges = (spec.loadBalancerSourceRanges ?? [])
    .map((r) => r.trim())
    .filter(isIPv4Cidr);
  const reachableFromOutside = (nodePort: number) =>
    nodePort !== 0 || externalIPs.length > 0 || loadBalancerIPs.length > 0;
  const stickySeconds =
    spec.sessionAffinity === "ClientIP"
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS)
      : 0;
  return (spec.ports ?? []).map((p) => {
    const name = servicePortName({ namespace, name: serviceName }, p.name ?? "");
    const protocol = (p.protocol ?? "TCP").toLowerCase();
    const nodePort = p.nodePort ?? 0;
    return {
      name,
      key: servicePortKey(name, protocol),
      namespace,
      serviceName,
      protocol,
      clusterIP: spec.clusterIP as string,
      port: p.port,
      nodePort,
      externalIPs,
      loadBalancerIPs,
      loadBalancerSourceRanges,
      stickySeconds,
      externalPolicyLocal: reachableFromOutside(nodePort) && spec.externalTrafficPolicy === "Local",
      internalPolicyLocal: spec.internalTrafficPolicy === "Local",
      chains: serviceChains(name, protocol),
    };
  });
}

export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.externalIPs.length > 0 || sp.loadBalancerIPs.length > 0;
}

/**
 * Whether some traffic to this port goes to all endpoints (Cluster policy).
 * Any externally reachable port does: with externalTrafficPolicy Local,
 * traffic from pods and from the node itself still short-circuits to them.
 */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || externallyAccessible(sp);
}

/** Whether some traffic to this port goes only to this node's endpoints (Local policy). */
export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || (externallyAccessible(sp) && sp.externalPolicyLocal);
}
