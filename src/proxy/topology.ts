/**
 * Which endpoints serve which traffic on this node: upstream's
 * CategorizeEndpoints. Cluster-policy traffic goes to every ready endpoint
 * (narrowed to this node's zone when every endpoint carries zone hints and
 * one is hinted for it); Local-policy traffic goes to this node's ready
 * endpoints. When nothing is ready, endpoints that are terminating but
 * still serving are used instead, so connections drain rather than fail.
 */
import { type EndpointInfo, sortEndpoints } from "./endpoints.js";
import { type ServicePortInfo, usesClusterEndpoints, usesLocalEndpoints } from "./service-port.js";

export const LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";

export interface Categorized {
  /** Endpoints for Cluster traffic policy (empty if the port never uses it). */
  readonly cluster: readonly EndpointInfo[];
  /** Endpoints for Local traffic policy (empty if the port never uses it). */
  readonly local: readonly EndpointInfo[];
  /** Union of both: every endpoint this node may DNAT to (each gets a KUBE-SEP- chain). */
  readonly reachable: readonly EndpointInfo[];
  /** Whether any usable endpoint exists anywhere in the cluster. */
  readonly hasAny: boolean;
}

function canUseTopology(
  endpoints: readonly EndpointInfo[],
  nodeLabels: Readonly<Record<string, string>>,
): boolean {
  const zone = nodeLabels[LABEL_TOPOLOGY_ZONE];
  let hasEndpointForZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.zoneHints.length === 0) return false;
    if (!zone) return false;
    if (ep.zoneHints.includes(zone)) hasEndpointForZone = true;
  }
  return hasEndpointForZone;
}

const servingTerminating = (ep: EndpointInfo) => ep.serving && ep.terminating;

function clusterEndpoints(
  endpoints: readonly EndpointInfo[],
  nodeLabels: Readonly<Record<string, string>>,
): { eps: EndpointInfo[]; topology: boolean } {
  const topology = canUseTopology(endpoints, nodeLabels);
  const zone = nodeLabels[LABEL_TOPOLOGY_ZONE] ?? "";
  const ready = endpoints.filter((ep) => ep.ready && (!topology || ep.zoneHints.includes(zone)));
  // Topology is not considered for the terminating fallback: it is a best effort to drain.
  return { eps: ready.length > 0 ? ready : endpoints.filter(servingTerminating), topology };
}

export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  opts: { service: ServicePortInfo; nodeLabels?: Readonly<Record<string, string>> },
): Categorized {
  const { service } = opts;
  const nodeLabels = opts.nodeLabels ?? {};
  let cluster: EndpointInfo[] = [];
  let topology = false;
  let hasAny = false;
  if (usesClusterEndpoints(service)) {
    ({ eps: cluster, topology } = clusterEndpoints(endpoints, nodeLabels));
    hasAny = cluster.length > 0;
  }
  if (!usesLocalEndpoints(service)) return { cluster, local: [], reachable: cluster, hasAny };

  let localReady = false;
  let localTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAny = true;
      if (ep.isLocal) localReady = true;
    } else if (servingTerminating(ep)) {
      hasAny = true;
      if (ep.isLocal) localTerminating = true;
    }
  }
  const useTerminating = !localReady && localTerminating;
  let local: EndpointInfo[] = [];
  if (localReady) local = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (useTerminating) local = endpoints.filter((ep) => ep.isLocal && servingTerminating(ep));

  if (!usesClusterEndpoints(service)) return { cluster, local, reachable: local, hasAny };
  // Without topology or terminating endpoints, the cluster list already holds every local one.
  if (!topology && !useTerminating) return { cluster, local, reachable: cluster, hasAny };
  const union = new Map<string, EndpointInfo>();
  for (const ep of [...cluster, ...local]) union.set(ep.endpoint, ep);
  return { cluster, local, reachable: sortEndpoints([...union.values()]), hasAny };
}
