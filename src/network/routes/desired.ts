/**
 * host-gw routing, the decision half: from the Node objects, which route
 * each other node's pods need on this host (`<podCIDR> via <InternalIP>`,
 * as flannel's host-gw backend writes them), and which nodes get none and
 * why. Pure: the I/O edge reads the host's subnets and routes and applies
 * what this decides.
 */
import type { Node } from "kubernetes-types/core/v1.js";
import { cidrContains, cidrNetwork, isIPv4, isIPv4Cidr } from "../../proxy/ipv4.js";

/** One host-gw route: traffic to a node's pods goes to that node's address. */
export interface PodRoute {
  /** The other node's pod range (`10.42.1.0/24`). */
  readonly dst: string;
  /** That node's InternalIP, the next hop. */
  readonly via: string;
  /** The node it leads to (for logs). */
  readonly node: string;
}

/** A node (or one of its pod ranges) that gets no route, and why. */
export interface SkippedNode {
  readonly node: string;
  readonly reason: string;
}

export interface DesiredRoutes {
  readonly routes: readonly PodRoute[];
  readonly skipped: readonly SkippedNode[];
}

export interface HostView {
  /** This node's name: it needs no route to its own pods (the bridge holds them). */
  readonly self: string;
  /** Subnets of this host's interfaces (`192.168.77.1/24`): a next hop must be on one. */
  readonly subnets: readonly string[];
  /** Destinations of routes someone else made: never replaced. */
  readonly foreignDsts?: ReadonlySet<string>;
}

function podCIDRs(node: Node): string[] {
  const all = [...(node.spec?.podCIDRs ?? []), ...(node.spec?.podCIDR ? [node.spec.podCIDR] : [])];
  return [...new Set(all)];
}

function internalIPv4(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === "InternalIP" && isIPv4(a.address))?.address;
}

/** The routes this host needs, in a stable order (by destination). */
export function desiredRoutes(nodes: Iterable<Node>, host: HostView): DesiredRoutes {
  const routes: PodRoute[] = [];
  const skipped: SkippedNode[] = [];
  const taken = new Map<string, string>();
  const sortedNodes = [...nodes].sort((a, b) =>
    (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
  // This node's own range is on its bridge: another node claiming it gets no route.
  const self = sortedNodes.find((n) => n.metadata?.name === host.self);
  for (const cidr of self ? podCIDRs(self) : [])
    if (isIPv4Cidr(cidr)) taken.set(cidrNetwork(cidr), host.self);
  for (const node of sortedNodes) {
    const name = node.metadata?.name ?? "";
    if (name === host.self || node.metadata?.deletionTimestamp) continue;
    const cidrs = podCIDRs(node);
    if (cidrs.length === 0) continue; // node IPAM has not given it a range yet
    const via = internalIPv4(node);
    if (!via) {
      skipped.push({ node: name, reason: "it has no IPv4 InternalIP" });
      continue;
    }
    if (!host.subnets.some((s) => cidrContains(s, via))) {
      skipped.push({
        node: name,
        reason: `its InternalIP ${via} is not on a directly connected subnet (host-gw needs layer-2 adjacency)`,
      });
      continue;
    }
    for (const cidr of cidrs) {
      if (!isIPv4Cidr(cidr) || !cidr.includes("/")) {
        skipped.push({ node: name, reason: `pod CIDR ${cidr} is not IPv4 (only IPv4 is routed)` });
        continue;
      }
      const dst = cidrNetwork(cidr);
      const owner = taken.get(dst);
      if (owner !== undefined) {
        skipped.push({ node: name, reason: `pod CIDR ${dst} is also claimed by node ${owner}` });
        continue;
      }
      if (host.foreignDsts?.has(dst)) {
        skipped.push({ node: name, reason: `a route to ${dst} not made by k8ts exists` });
        continue;
      }
      taken.set(dst, name);
      routes.push({ dst, via, node: name });
    }
  }
  routes.sort((a, b) => (a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
  return { routes, skipped };
}
