/**
 * What status.loadBalancer an Ingress should carry (pure). The controller
 * publishes one address on every Ingress it serves, and takes it back
 * from an Ingress it no longer serves (its class changed) only when the
 * status is still exactly what it wrote, so it never erases another
 * controller's address.
 */
import type { Ingress, IngressLoadBalancerIngress } from "kubernetes-types/networking/v1.js";

export function publishedStatus(publishIp: string): IngressLoadBalancerIngress[] {
  return [{ ip: publishIp }];
}

function same(a: readonly IngressLoadBalancerIngress[], b: readonly IngressLoadBalancerIngress[]) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A merge patch for the status subresource, or undefined when the status is right. */
export function statusPatch(
  ing: Ingress,
  want: { serves: boolean; publishIp: string },
): { status: { loadBalancer: { ingress: IngressLoadBalancerIngress[] | null } } } | undefined {
  const current = ing.status?.loadBalancer?.ingress ?? [];
  const ours = publishedStatus(want.publishIp);
  if (want.serves) {
    return same(current, ours) ? undefined : { status: { loadBalancer: { ingress: ours } } };
  }
  return same(current, ours) ? { status: { loadBalancer: { ingress: null } } } : undefined;
}
