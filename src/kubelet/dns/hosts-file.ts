/**
 * The /etc/hosts the kubelet writes for a pod (upstream
 * managedHostsFileContent and nodeHostsFileContent): localhost entries,
 * the pod's IPs with its hostname, then the pod's hostAliases; a
 * hostNetwork pod gets the node's own file with the aliases after it.
 */
import type { HostAlias, Pod } from "kubernetes-types/core/v1.js";
import { podHostname } from "./hostname.js";

export const MANAGED_HOSTS_HEADER = "# Kubernetes-managed hosts file.\n";
export const MANAGED_HOSTS_HEADER_HOST_NETWORK =
  "# Kubernetes-managed hosts file (host network).\n";

const LOCALHOST_ENTRIES =
  "127.0.0.1\tlocalhost\n" +
  "::1\tlocalhost ip6-localhost ip6-loopback\n" +
  "fe00::0\tip6-localnet\n" +
  "fe00::0\tip6-mcastprefix\n" +
  "fe00::1\tip6-allnodes\n" +
  "fe00::2\tip6-allrouters\n";

/** A blank line, the HostAliases comment and one tab-separated line per alias; "" without aliases. */
export function hostAliasEntries(aliases: readonly HostAlias[] | undefined): string {
  if (aliases === undefined || aliases.length === 0) return "";
  let out = "\n# Entries added by HostAliases.\n";
  for (const alias of aliases) out += `${alias.ip ?? ""}\t${(alias.hostnames ?? []).join("\t")}\n`;
  return out;
}

/** The hosts file for given names: each IP maps to `<hostname>.<domain>\t<hostname>` or `<hostname>`. */
export function managedHostsFile(
  podIPs: readonly string[],
  hostname: string,
  domain: string | undefined,
  aliases: readonly HostAlias[] | undefined,
): string {
  let out = MANAGED_HOSTS_HEADER + LOCALHOST_ENTRIES;
  for (const ip of podIPs) {
    out +=
      domain !== undefined && domain !== ""
        ? `${ip}\t${hostname}.${domain}\t${hostname}\n`
        : `${ip}\t${hostname}\n`;
  }
  return out + hostAliasEntries(aliases);
}

/** The kubelet-managed /etc/hosts of a pod on the pod network. Throws PodHostnameError. */
export function hostsFile(pod: Pod, podIPs: readonly string[], clusterDomain: string): string {
  const { hostname, domain } = podHostname(pod, clusterDomain);
  return managedHostsFile(podIPs, hostname, domain, pod.spec?.hostAliases);
}

/** The /etc/hosts of a hostNetwork pod: the node's file, then the aliases. */
export function hostNetworkHostsFile(
  hostEtcHosts: string,
  hostAliases: readonly HostAlias[] | undefined,
): string {
  return MANAGED_HOSTS_HEADER_HOST_NETWORK + hostEtcHosts + hostAliasEntries(hostAliases);
}
