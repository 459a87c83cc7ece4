/**
 * The whole ruleset, from the proxy's view of Services and endpoints:
 * the fixed top-level chains (masquerading, forwarding, the localhost
 * NodePort guard), every service port's chains, and the final jump to
 * KUBE-NODEPORTS. Pure: the same input always gives the same lines.
 */

import { writeCaptureRules } from "./capture-rules.js";
import type { EndpointsMap } from "./endpoints.js";
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from "./names.js";
import { writePortChains } from "./port-chains.js";
import { planPort, type ResolvedConfig } from "./port-plan.js";
import type { ServicePortInfo } from "./service-port.js";
import { comment, type Ruleset, RuleWriter } from "./writer.js";

export interface RulesConfig {
  /**
   * The pod network (upstream's --cluster-cidr with detect-local-mode
   * ClusterCIDR). Traffic to a cluster IP from outside it is masqueraded;
   * without it, no such rule is written.
   */
  readonly clusterCIDR?: string;
  /** Masquerade all traffic to cluster IPs (default false). */
  readonly masqueradeAll?: boolean;
  /** The mark that asks KUBE-POSTROUTING to masquerade (default 0x4000, bit 14). */
  readonly masqueradeMark?: string;
  /** NodePorts answer on 127.0.0.1 too (default true; needs route_localnet=1). */
  readonly localhostNodePorts?: boolean;
  /** MASQUERADE with --random-fully (default true: iptables 1.6.2+ has it). */
  readonly randomFully?: boolean;
  /** This node's addresses: a loadBalancerSourceRange that holds one lets the node reach the VIP. */
  readonly nodeIPs?: readonly string[];
  /** This node's labels (topology.kubernetes.io/zone for topology-aware routing). */
  readonly nodeLabels?: Readonly<Record<string, string>>;
}

export interface RulesInput {
  readonly services: readonly ServicePortInfo[];
  readonly endpoints: EndpointsMap;
}

export interface BuiltRules extends Ruleset {
  /** Per-service nat chains in use: any other KUBE-SVC-/SEP-/... chain is stale. */
  readonly activeNatChains: ReadonlySet<string>;
}

/** Upstream's threshold for dropping per-endpoint comments. */
const LARGE_CLUSTER_ENDPOINTS = 1000;

function resolve(config: RulesConfig): ResolvedConfig {
  return {
    clusterCIDR: config.clusterCIDR,
    masqueradeAll: config.masqueradeAll ?? false,
    masqueradeMark: config.masqueradeMark ?? "0x4000",
    localhostNodePorts: config.localhostNodePorts ?? true,
    randomFully: config.randomFully ?? true,
    nodeIPs: config.nodeIPs ?? [],
    nodeLabels: config.nodeLabels ?? {},
  };
}

/** Service ports in a stable order, so that equal state gives equal text. */
function sorted(services: readonly ServicePortInfo[]): ServicePortInfo[] {
  return [...services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function buildRuleset(input: RulesInput, config: RulesConfig = {}): BuiltRules {
  const c = resolve(config);
  const w = new RuleWriter();
  const mark = `${c.masqueradeMark}/${c.masqueradeMark}`;
  w.filterChains.push(
    KUBE_SERVICES,
    KUBE_EXTERNAL_SERVICES,
    KUBE_FORWARD,
    KUBE_NODEPORTS,
    KUBE_PROXY_FIREWALL,
  );
  w.natChains.push(KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ);

  // Masquerade marked packets once: the mark is cleared so a packet that re-enters is not SNATed twice.
  w.nat(`-A ${KUBE_POSTROUTING}`, `-m mark ! --mark ${mark}`, "-j RETURN");
  w.nat(`-A ${KUBE_POSTROUTING}`, `-j MARK --xor-mark ${c.masqueradeMark}`);
  w.nat(
    `-A ${KUBE_POSTROUTING}`,
    comment("kubernetes service traffic requiring SNAT"),
    "-j MASQUERADE",
    c.randomFully ? "--random-fully" : "",
  );
  w.nat(`-A ${KUBE_MARK_MASQ}`, `-j MARK --or-mark ${c.masqueradeMark}`);

  if (c.localhostNodePorts) {
    // route_localnet makes 127/8 routable; without this guard, other hosts could reach
    // services bound to localhost (CVE-2020-8558).
    w.filterChains.push(KUBE_FIREWALL);
    w.filter(
      `-A ${KUBE_FIREWALL}`,
      comment("block incoming localnet connections"),
      "-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
    );
  }

  const services = sorted(input.services);
  let total = 0;
  for (const sp of services) total += input.endpoints.get(sp.key)?.length ?? 0;
  const ctx = { w, config: c, largeCluster: total > LARGE_CLUSTER_ENDPOINTS };
  const active = new Set<string>();
  for (const sp of services) {
    const plan = planPort(sp, { endpoints: input.endpoints.get(sp.key) ?? [], config: c });
    writeCaptureRules(ctx, plan);
    for (const chain of writePortChains(ctx, plan)) active.add(chain);
  }

  // Last in KUBE-SERVICES: anything else addressed to this node may be a NodePort.
  w.nat(
    `-A ${KUBE_SERVICES}`,
    comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
    "-m addrtype --dst-type LOCAL",
    c.localhostNodePorts ? "" : "! -d 127.0.0.0/8",
    `-j ${KUBE_NODEPORTS}`,
  );
  // Packets conntrack cannot place would be reset by the endpoint: drop them instead.
  w.filter(`-A ${KUBE_FORWARD}`, "-m conntrack --ctstate INVALID -j DROP");
  // Forward service traffic even where the FORWARD policy is DROP.
  w.filter(
    `-A ${KUBE_FORWARD}`,
    comment("kubernetes forwarding rules"),
    `-m mark --mark ${mark}`,
    "-j ACCEPT",
  );
  w.filter(
    `-A ${KUBE_FORWARD}`,
    comment("kubernetes forwarding conntrack rule"),
    "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
  );
  return { ...w, activeNatChains: active };
}
