/**
 * The node's resolv.conf as upstream's parseResolvConf reads it: nameserver
 * lines accumulate, the last search and options lines win, lines starting
 * with `#` are comments, and search domains lose one trailing dot ("." alone
 * stays) so `foo` and `foo.` count once.
 */

/** The host resolver settings pods with the Default policy inherit. */
export interface HostResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

/** upstream maxResolveConfLength: larger files are refused. */
export const MAX_RESOLV_CONF_LENGTH = 10 * 1024 * 1024;

/** A resolv.conf the kubelet refuses; `partial` holds what was read. */
export class ResolvConfError extends Error {
  constructor(
    message: string,
    readonly partial: HostResolvConf,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

function normalizeSearch(domain: string): string {
  return domain !== "." && domain.endsWith(".") ? domain.slice(0, -1) : domain;
}

/** Parse resolv.conf text; throws ResolvConfError for a bare `nameserver` line or an oversized file. */
export function parseResolvConf(text: string): HostResolvConf {
  const conf: HostResolvConf = { servers: [], searches: [], options: [] };
  if (Buffer.byteLength(text, "utf8") > MAX_RESOLV_CONF_LENGTH) {
    throw new ResolvConfError("the read limit is reached", conf);
  }
  let emptyNameserver = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#")) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f !== "");
    const [keyword, ...rest] = fields;
    if (keyword === "nameserver") {
      if (rest[0] !== undefined) conf.servers.push(rest[0]);
      else emptyNameserver = true;
    } else if (keyword === "search") {
      conf.searches = rest.map(normalizeSearch);
    } else if (keyword === "options") {
      conf.options = rest;
    }
  }
  if (emptyNameserver) throw new ResolvConfError("nameserver list is empty ", conf);
  return conf;
}
