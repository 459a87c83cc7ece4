import type { LoadBalancerIngress, Node, Service } from "kubernetes-types/core/v1.js";

/** The loadBalancerClass this controller serves when a Service names one (k3s's ServiceLB). */
export const SERVICE_LB_CLASS = "k8ts.io/servicelb";

/** Whether the built-in load balancer handles this Service. */
export function handles(svc: Service): boolean {
  if (svc.spec?.type !== "LoadBalancer") return false;
  const cls = svc.spec.loadBalancerClass;
  return cls === undefined || cls === "" || cls === SERVICE_LB_CLASS;
}

function ready(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

/**
 * The addresses a LoadBalancer Service gets: the InternalIP (ExternalIP
 * when a node has one) of every Ready, schedulable node, sorted — the
 * answer k3s's ServiceLB gives. The service proxy then accepts traffic to
 * those addresses on the Service's ports (its KUBE-EXT chains). Pure.
 */
export function loadBalancerIngress(nodes: readonly Node[]): LoadBalancerIngress[] {
  const ips = new Set<string>();
  for (const node of nodes) {
    if (!ready(node) || node.spec?.unschedulable) continue;
    const addrs = node.status?.addresses ?? [];
    const ip =
      addrs.find((a) => a.type === "ExternalIP")?.address ??
      addrs.find((a) => a.type === "InternalIP")?.address;
    if (ip) ips.add(ip);
  }
  return [...ips].sort().map((ip) => ({ ip, ipMode: "VIP" }));
}

/** The status to write, or undefined when the current one already says it. */
export function wantedStatus(
  svc: Service,
  nodes: readonly Node[],
): LoadBalancerIngress[] | undefined {
  const wanted = handles(svc) ? loadBalancerIngress(nodes) : [];
  const current = svc.status?.loadBalancer?.ingress ?? [];
  const same = current.length === wanted.length && current.every((c, i) => c.ip === wanted[i]?.ip);
  return same ? undefined : wanted;
}
