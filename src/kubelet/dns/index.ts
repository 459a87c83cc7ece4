/** A pod's resolver configuration, hostname and /etc/hosts. */
export {
  HOSTNAME_MAX_LENGTH,
  PodHostnameError,
  podHostname,
  truncateHostname,
} from "./hostname.js";
export {
  hostAliasEntries,
  hostNetworkHostsFile,
  hostsFile,
  MANAGED_HOSTS_HEADER,
  MANAGED_HOSTS_HEADER_HOST_NETWORK,
  managedHostsFile,
} from "./hosts-file.js";
export {
  fitNameservers,
  fitSearches,
  MAX_DNS_NAMESERVERS,
  MAX_DNS_SEARCH_LIST_CHARS,
  MAX_DNS_SEARCH_PATH_LENGTH,
  MAX_DNS_SEARCH_PATHS,
} from "./limits.js";
export {
  clusterFirstSearches,
  type DnsWarning,
  mergeDnsOptions,
  type PodDNSConfig,
  type PodDnsOptions,
  podDnsConfig,
  resolvePodDns,
} from "./pod-dns.js";
export {
  type HostResolvConf,
  MAX_RESOLV_CONF_LENGTH,
  parseResolvConf,
  ResolvConfError,
} from "./resolv-conf.js";
