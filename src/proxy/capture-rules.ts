/**
 * How traffic for a service port is caught: in nat KUBE-SERVICES by
 * destination (cluster IP, external IPs, load-balancer IPs) and in
 * KUBE-NODEPORTS by port; and, when that traffic has no endpoint, in the
 * filter table, which REJECTs it (no endpoints anywhere: clients fail fast
 * instead of timing out) or DROPs it (Local policy, none on this node).
 */
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from "./names.js";
import type { PortPlan, WriteContext } from "./port-plan.js";
import { comment, proto } from "./writer.js";

export function writeCaptureRules(ctx: WriteContext, plan: PortPlan): void {
  const { w } = ctx;
  const { sp, noEndpoints } = plan;
  const p = proto(sp.protocol);
  const to = (ip: string) => `-d ${ip} --dport ${sp.port}`;
  const refuse = (chain: string, match: string) =>
    w.filter(`-A ${chain}`, comment(noEndpoints.comment), match, `-j ${noEndpoints.target}`);

  if (plan.hasInternal) {
    w.nat(
      `-A ${KUBE_SERVICES}`,
      comment(`${sp.name} cluster IP`),
      p,
      to(sp.clusterIP),
      `-j ${plan.internalChain}`,
    );
  } else {
    refuse(KUBE_SERVICES, `${p} ${to(sp.clusterIP)}`);
  }

  for (const ip of sp.externalIPs) {
    if (plan.hasAny)
      w.nat(
        `-A ${KUBE_SERVICES}`,
        comment(`${sp.name} external IP`),
        p,
        to(ip),
        `-j ${sp.chains.external}`,
      );
    if (!plan.hasExternal) refuse(KUBE_EXTERNAL_SERVICES, `${p} ${to(ip)}`);
  }

  const lbChain = plan.usesFirewallChain ? sp.chains.firewall : sp.chains.external;
  for (const ip of sp.loadBalancerIPs) {
    if (plan.hasAny)
      w.nat(
        `-A ${KUBE_SERVICES}`,
        comment(`${sp.name} loadbalancer IP`),
        p,
        to(ip),
        `-j ${lbChain}`,
      );
    // What KUBE-FW- does not accept reaches the filter table still addressed to the VIP.
    if (plan.usesFirewallChain)
      w.filter(
        `-A ${KUBE_PROXY_FIREWALL}`,
        comment(`${sp.name} traffic not accepted by ${sp.chains.firewall}`),
        p,
        to(ip),
        "-j DROP",
      );
  }
  if (!plan.hasExternal)
    for (const ip of sp.loadBalancerIPs) refuse(KUBE_EXTERNAL_SERVICES, `${p} ${to(ip)}`);

  if (sp.nodePort !== 0) {
    if (plan.hasAny)
      w.nat(
        `-A ${KUBE_NODEPORTS}`,
        comment(sp.name),
        p,
        `--dport ${sp.nodePort}`,
        `-j ${sp.chains.external}`,
      );
    if (!plan.hasExternal)
      refuse(KUBE_EXTERNAL_SERVICES, `-m addrtype --dst-type LOCAL ${p} --dport ${sp.nodePort}`);
  }
}
