/**
 * A pod's resolver configuration from its dnsPolicy and dnsConfig (upstream
 * pkg/kubelet/network/dns GetPodDNS):
 *
 *  - ClusterFirst (the default): the cluster DNS servers, the search path
 *    `<ns>.svc.<domain> svc.<domain> <domain>` followed by the host's, and
 *    `ndots:5`. A hostNetwork pod with ClusterFirst gets Default instead;
 *    ClusterFirstWithHostNet keeps the cluster settings. Without cluster DNS
 *    servers the kubelet warns and falls back to Default.
 *  - Default: the host's resolv.conf (without one: the node's loopback as the
 *    nameserver and "." as the search path).
 *  - None: nothing but the pod's dnsConfig.
 *
 * Then dnsConfig is appended (duplicates dropped, options with the same name
 * replaced) and the result cut to the resolver limits.
 */
import { isIPv6 } from "node:net";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { DNSConfig } from "../../runtime/cri.js";
import { fitNameservers, fitSearches } from "./limits.js";
import type { HostResolvConf } from "./resolv-conf.js";

export interface PodDnsOptions {
  /** The kubelet's clusterDNS addresses. */
  clusterDNS: readonly string[];
  /** The kubelet's clusterDomain ("cluster.local"); empty for none. */
  clusterDomain: string;
  /** The host's resolver settings; undefined when the kubelet's resolvConf is "". */
  host: HostResolvConf | undefined;
  /** The node's IPs: without a host resolv.conf, each picks 127.0.0.1 or ::1. */
  nodeIPs?: readonly string[];
}

/** An event for the pod (DNSConfigForming, MissingClusterDNS). */
export interface DnsWarning {
  reason: "DNSConfigForming" | "MissingClusterDNS";
  message: string;
}

/** Every field set, possibly empty. */
export type PodDNSConfig = Required<DNSConfig>;

const DEFAULT_OPTIONS = ["ndots:5"];

type DnsType = "cluster" | "host" | "none";

function dnsType(pod: Pod): DnsType {
  const policy = pod.spec?.dnsPolicy ?? "ClusterFirst";
  switch (policy) {
    case "None":
      return "none";
    case "ClusterFirstWithHostNet":
      return "cluster";
    case "ClusterFirst":
      return pod.spec?.hostNetwork === true ? "host" : "cluster";
    case "Default":
      return "host";
    default:
      // The API rejects other policies; upstream logs and uses ClusterFirst.
      return "cluster";
  }
}

function omitDuplicates(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** `name:value` options merged by name, later ones replacing earlier in place. */
export function mergeDnsOptions(
  existing: readonly string[],
  extra: readonly { name?: string; value?: string }[],
): string[] {
  const merged = new Map<string, string>();
  for (const op of existing) {
    const colon = op.indexOf(":");
    if (colon === -1) merged.set(op, "");
    else merged.set(op.slice(0, colon), op.slice(colon + 1));
  }
  for (const op of extra) merged.set(op.name ?? "", op.value ?? "");
  return [...merged].map(([name, value]) => (value === "" ? name : `${name}:${value}`));
}

/** `<ns>.svc.<domain> svc.<domain> <domain>` then the host's, duplicates dropped. */
export function clusterFirstSearches(
  namespace: string,
  clusterDomain: string,
  hostSearches: readonly string[],
): string[] {
  if (clusterDomain === "") return [...hostSearches];
  return omitDuplicates([
    `${namespace}.svc.${clusterDomain}`,
    `svc.${clusterDomain}`,
    clusterDomain,
    ...hostSearches,
  ]);
}

/** upstream format.Pod: `name_namespace(uid)`. */
function podDesc(pod: Pod): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ""}_${m.namespace ?? ""}(${m.uid ?? ""})`;
}

function hostConfig(opts: PodDnsOptions, base: PodDNSConfig): PodDNSConfig {
  if (opts.host !== undefined) return base;
  const servers = (opts.nodeIPs ?? []).map((ip) => (isIPv6(ip) ? "::1" : "127.0.0.1"));
  return {
    servers: servers.length > 0 ? servers : ["127.0.0.1"],
    searches: ["."],
    options: base.options,
  };
}

/** The pod's DNS config and the events the kubelet would record for it. */
export function resolvePodDns(
  pod: Pod,
  opts: PodDnsOptions,
): { config: PodDNSConfig; warnings: DnsWarning[] } {
  const warnings: DnsWarning[] = [];
  const host = opts.host;
  let config: PodDNSConfig = {
    servers: [...(host?.servers ?? [])],
    searches: [...(host?.searches ?? [])],
    options: [...(host?.options ?? [])],
  };
  const type = dnsType(pod);
  if (type === "none") {
    config = { servers: [], searches: [], options: [] };
  } else if (type === "cluster" && opts.clusterDNS.length > 0) {
    config = {
      servers: [...opts.clusterDNS],
      searches: clusterFirstSearches(
        pod.metadata?.namespace ?? "",
        opts.clusterDomain,
        config.searches,
      ),
      options: [...DEFAULT_OPTIONS],
    };
  } else {
    if (type === "cluster") {
      const msg = `kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`;
      warnings.push({
        reason: "MissingClusterDNS",
        message: `pod: ${JSON.stringify(podDesc(pod))}. ${msg}`,
      });
    }
    config = hostConfig(opts, config);
  }

  const extra = pod.spec?.dnsConfig;
  if (extra !== undefined) {
    config = {
      servers: omitDuplicates([...config.servers, ...(extra.nameservers ?? [])]),
      searches: omitDuplicates([...config.searches, ...(extra.searches ?? [])]),
      options: mergeDnsOptions(config.options, extra.options ?? []),
    };
  }

  const ns = fitNameservers(config.servers);
  if (ns.warning !== undefined) warnings.push({ reason: "DNSConfigForming", message: ns.warning });
  const search = fitSearches(config.searches);
  if (search.warning !== undefined) {
    warnings.push({ reason: "DNSConfigForming", message: search.warning });
  }
  return {
    config: { servers: ns.servers, searches: search.searches, options: config.options },
    warnings,
  };
}

/** The pod's DNS config for its sandbox (see resolvePodDns for the warnings). */
export function podDnsConfig(pod: Pod, opts: PodDnsOptions): DNSConfig {
  return resolvePodDns(pod, opts).config;
}
