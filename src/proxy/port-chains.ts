/**
 * A service port's own nat chains:
 *
 *   KUBE-EXT-  external traffic: masquerade (Cluster policy) or short-circuit
 *              pods and the node itself to KUBE-SVC- (Local policy), then on
 *   KUBE-FW-   loadBalancerSourceRanges in front of KUBE-EXT-
 *   KUBE-SVC-  every usable endpoint; KUBE-SVL- this node's endpoints —
 *              picked at random (or sticky per client IP)
 *   KUBE-SEP-  one endpoint: hairpin masquerade, DNAT
 */
import type { EndpointInfo } from "./endpoints.js";
import { cidrContains } from "./ipv4.js";
import { endpointChain, KUBE_MARK_MASQ } from "./names.js";
import type { PortPlan, WriteContext } from "./port-plan.js";
import type { ServicePortInfo } from "./service-port.js";
import { comment, probability, proto } from "./writer.js";

/** Writes the port's chains; returns the names of those it uses. */
export function writePortChains(ctx: WriteContext, plan: PortPlan): string[] {
  const { w, config } = ctx;
  const { sp } = plan;
  const used: string[] = [];
  // Traffic to the cluster IP from outside the pod network must come back through this node.
  if (plan.hasInternal && (config.masqueradeAll || config.clusterCIDR)) {
    const from = config.masqueradeAll ? "" : `! -s ${config.clusterCIDR}`;
    w.nat(
      `-A ${plan.internalChain}`,
      comment(`${sp.name} cluster IP`),
      proto(sp.protocol),
      `-d ${sp.clusterIP} --dport ${sp.port}`,
      from,
      `-j ${KUBE_MARK_MASQ}`,
    );
  }
  if (plan.usesExternalChain) used.push(writeExternalChain(ctx, plan));
  if (plan.usesFirewallChain) used.push(writeFirewallChain(ctx, sp));
  for (const [chain, endpoints] of [
    [sp.chains.cluster, plan.cluster],
    [sp.chains.local, plan.local],
  ] as const) {
    if (endpoints.length === 0) continue;
    w.natChains.push(chain);
    writeBalancing(ctx, { sp, chain, endpoints });
    used.push(chain);
  }
  for (const ep of plan.reachable) used.push(writeEndpointChain(ctx, { sp, ep }));
  return used;
}

function writeExternalChain(ctx: WriteContext, plan: PortPlan): string {
  const { w, config } = ctx;
  const { sp } = plan;
  const ext = sp.chains.external;
  const rule = (text: string, ...rest: string[]) =>
    w.nat(`-A ${ext}`, comment(`${text} for ${sp.name} external destinations`), ...rest);
  w.natChains.push(ext);
  if (!sp.externalPolicyLocal) {
    // Endpoints may be on other nodes: masquerade so replies come back through here.
    rule("masquerade traffic", `-j ${KUBE_MARK_MASQ}`);
  } else {
    // Pods reaching an external address act as if they went out to a load balancer and back in.
    if (config.clusterCIDR)
      rule("pod traffic", `-s ${config.clusterCIDR}`, `-j ${sp.chains.cluster}`);
    // The node's own packets carry a local source no endpoint could answer: masquerade them.
    rule("masquerade LOCAL traffic", "-m addrtype --src-type LOCAL", `-j ${KUBE_MARK_MASQ}`);
    rule("route LOCAL traffic", "-m addrtype --src-type LOCAL", `-j ${sp.chains.cluster}`);
  }
  if (plan.hasExternal) w.nat(`-A ${ext}`, `-j ${plan.externalPolicyChain}`);
  return ext;
}

function writeFirewallChain(ctx: WriteContext, sp: ServicePortInfo): string {
  const { w, config } = ctx;
  const fw = sp.chains.firewall;
  w.natChains.push(fw);
  const accept = (source: string) =>
    w.nat(
      `-A ${fw}`,
      comment(`${sp.name} loadbalancer IP`),
      `-s ${source}`,
      `-j ${sp.chains.external}`,
    );
  let allowFromNode = false;
  for (const range of sp.loadBalancerSourceRanges) {
    accept(range);
    if (config.nodeIPs.some((ip) => cidrContains(range, ip))) allowFromNode = true;
  }
  // A node reaching a VIP it holds itself sends from the VIP.
  if (allowFromNode) for (const ip of sp.loadBalancerIPs) accept(ip);
  // Whatever falls through is not DNATed, so filter KUBE-PROXY-FIREWALL drops it.
  w.nat(`-A ${fw}`, comment(`other traffic to ${sp.name} will be dropped by KUBE-PROXY-FIREWALL`));
  return fw;
}

function writeBalancing(
  ctx: WriteContext,
  o: { sp: ServicePortInfo; chain: string; endpoints: readonly EndpointInfo[] },
): void {
  const { w } = ctx;
  const { sp, chain, endpoints } = o;
  const note = (ep: EndpointInfo) =>
    ctx.largeCluster ? "" : comment(`${sp.name} -> ${ep.endpoint}`);
  const sep = (ep: EndpointInfo) => endpointChain(sp, ep.endpoint);
  // Sticky clients first: a client seen recently goes back to the same endpoint.
  if (sp.stickySeconds > 0)
    for (const ep of endpoints)
      w.nat(
        `-A ${chain}`,
        note(ep),
        `-m recent --name ${sep(ep)} --rcheck --seconds ${sp.stickySeconds} --reap`,
        `-j ${sep(ep)}`,
      );
  // Endpoint i of n matches with probability 1/(n-i), so each gets 1/n overall; the last always matches.
  endpoints.forEach((ep, i) => {
    const n = endpoints.length - i;
    const random = n > 1 ? `-m statistic --mode random --probability ${probability(n)}` : "";
    w.nat(`-A ${chain}`, note(ep), random, `-j ${sep(ep)}`);
  });
}

function writeEndpointChain(
  ctx: WriteContext,
  o: { sp: ServicePortInfo; ep: EndpointInfo },
): string {
  const { w } = ctx;
  const { sp, ep } = o;
  const sep = endpointChain(sp, ep.endpoint);
  w.natChains.push(sep);
  const note = ctx.largeCluster ? "" : comment(sp.name);
  // Hairpin: a pod reaching itself through the service must see another source, or it drops the reply.
  w.nat(`-A ${sep}`, note, `-s ${ep.ip}`, `-j ${KUBE_MARK_MASQ}`);
  const sticky = sp.stickySeconds > 0 ? `-m recent --name ${sep} --set` : "";
  w.nat(`-A ${sep}`, note, sticky, proto(sp.protocol), `-j DNAT --to-destination ${ep.endpoint}`);
  return sep;
}
