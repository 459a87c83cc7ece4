/**
 * The decisions for one service port, made once before any rule is
 * written: which endpoints serve internal and external traffic, which
 * per-port chains exist, and what the filter table does when a kind of
 * traffic has nowhere to go. The rule writers only spell these out.
 */
import type { EndpointInfo } from "./endpoints.js";
import { externallyAccessible, type ServicePortInfo } from "./service-port.js";
import { categorizeEndpoints } from "./topology.js";
import type { RuleWriter } from "./writer.js";

/** The settings rule generation reads (defaults filled in by buildRuleset). */
export interface ResolvedConfig {
  readonly clusterCIDR: string | undefined;
  readonly masqueradeAll: boolean;
  readonly masqueradeMark: string;
  readonly localhostNodePorts: boolean;
  readonly randomFully: boolean;
  readonly nodeIPs: readonly string[];
  readonly nodeLabels: Readonly<Record<string, string>>;
}

export interface WriteContext {
  readonly w: RuleWriter;
  readonly config: ResolvedConfig;
  /** Over 1000 endpoints, per-endpoint comments are left out to keep the ruleset small (as upstream). */
  readonly largeCluster: boolean;
}

export interface PortPlan {
  readonly sp: ServicePortInfo;
  /** Endpoints of the KUBE-SVC- chain (Cluster policy); empty: no such chain. */
  readonly cluster: readonly EndpointInfo[];
  /** Endpoints of the KUBE-SVL- chain (Local policy); empty: no such chain. */
  readonly local: readonly EndpointInfo[];
  /** Every endpoint that gets a KUBE-SEP- chain. */
  readonly reachable: readonly EndpointInfo[];
  /** Some usable endpoint exists somewhere; without one, the port has no nat rules at all. */
  readonly hasAny: boolean;
  /** Cluster-IP traffic has endpoints (false for internalTrafficPolicy Local with none here). */
  readonly hasInternal: boolean;
  /** External traffic has endpoints (false for externalTrafficPolicy Local with none here). */
  readonly hasExternal: boolean;
  /** Where cluster-IP traffic goes: KUBE-SVC- or KUBE-SVL-. */
  readonly internalChain: string;
  /** Where KUBE-EXT- finally sends external traffic: KUBE-SVC- or KUBE-SVL-. */
  readonly externalPolicyChain: string;
  readonly usesExternalChain: boolean;
  readonly usesFirewallChain: boolean;
  /** Filter verdict for traffic without endpoints: REJECT when none exist, DROP when none are local. */
  readonly noEndpoints: { readonly target: "REJECT" | "DROP"; readonly comment: string };
}

export function planPort(
  sp: ServicePortInfo,
  opts: { endpoints: readonly EndpointInfo[]; config: ResolvedConfig },
): PortPlan {
  const { cluster, local, reachable, hasAny } = categorizeEndpoints(opts.endpoints, {
    service: sp,
    nodeLabels: opts.config.nodeLabels,
  });
  return {
    sp,
    cluster,
    local,
    reachable,
    hasAny,
    hasInternal: hasAny && (!sp.internalPolicyLocal || local.length > 0),
    hasExternal: hasAny && (!sp.externalPolicyLocal || local.length > 0),
    internalChain: sp.internalPolicyLocal ? sp.chains.local : sp.chains.cluster,
    externalPolicyChain: sp.externalPolicyLocal ? sp.chains.local : sp.chains.cluster,
    // Built even when no endpoint is local: the short-circuit for pods and the node still applies.
    usesExternalChain: hasAny && externallyAccessible(sp),
    usesFirewallChain:
      hasAny && sp.loadBalancerIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0,
    noEndpoints: hasAny
      ? { target: "DROP", comment: `${sp.name} has no local endpoints` }
      : { target: "REJECT", comment: `${sp.name} has no endpoints` },
  };
}
