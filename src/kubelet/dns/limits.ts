/**
 * The resolver limits the kubelet enforces on a pod's DNS config (upstream
 * formDNSConfigFitsLimits): at most 3 nameservers, at most 32 search domains,
 * none longer than 253 characters, and a search line of at most 2048.
 */

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** glibc aborts on longer search paths; they are dropped. */
export const MAX_DNS_SEARCH_PATH_LENGTH = 253;

function len(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** The nameservers that fit, and the DNSConfigForming message when some were dropped. */
export function fitNameservers(servers: readonly string[]): {
  servers: string[];
  warning?: string;
} {
  if (servers.length <= MAX_DNS_NAMESERVERS) return { servers: [...servers] };
  const kept = servers.slice(0, MAX_DNS_NAMESERVERS);
  return {
    servers: kept,
    warning: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${kept.join(" ")}`,
  };
}

/** The search domains that fit, and the DNSConfigForming message when some were dropped. */
export function fitSearches(searches: readonly string[]): {
  searches: string[];
  warning?: string;
} {
  let exceeded = false;
  let kept = [...searches];
  if (kept.length > MAX_DNS_SEARCH_PATHS) {
    kept = kept.slice(0, MAX_DNS_SEARCH_PATHS);
    exceeded = true;
  }
  const short = kept.filter((s) => len(s) <= MAX_DNS_SEARCH_PATH_LENGTH);
  if (short.length !== kept.length) exceeded = true;
  kept = short;
  const lineLength = len(kept.join(" "));
  if (lineLength > MAX_DNS_SEARCH_LIST_CHARS) {
    // Drop from the end until the line fits, counting each domain and its separator.
    let cut = 0;
    let cutLength = 0;
    for (let i = kept.length - 1; i >= 0; i--) {
      cutLength += len(kept[i] as string) + 1;
      cut++;
      if (lineLength - cutLength <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    kept = kept.slice(0, kept.length - cut);
    exceeded = true;
  }
  if (!exceeded) return { searches: kept };
  return {
    searches: kept,
    warning: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${kept.join(" ")}`,
  };
}
