/**
 * Host names as Ingress rules and TLS entries see them (pure). A rule's
 * host is precise (`foo.bar.com`) or a wildcard of exactly one leading
 * label (`*.foo.com` matches `bar.foo.com`, neither `foo.com` nor
 * `baz.bar.foo.com`), compared case-insensitively as DNS names are.
 */

/**
 * The name a Host header or SNI value asks for: lower case, without the
 * port and without a trailing root dot. IPv6 literals keep their brackets.
 */
export function normalizeHost(raw: string): string {
  let host = raw.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  if (colon >= 0) host = host.slice(0, colon);
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

export function isWildcard(host: string): boolean {
  return host.startsWith("*.");
}

/**
 * The key a wildcard rule is stored under for `host`: the suffix after its
 * first label (`bar.foo.com` → `.foo.com`), or undefined for a single label.
 */
export function wildcardSuffixOf(host: string): string | undefined {
  const dot = host.indexOf(".");
  return dot > 0 ? host.slice(dot) : undefined;
}

/** Whether a rule host (precise or wildcard, already lower case) covers a requested host. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (!isWildcard(ruleHost)) return ruleHost === host;
  return wildcardSuffixOf(host) === ruleHost.slice(1);
}
