import { parseIpv4, parseIpv6 } from "./names.js";

/** A resolver queries are forwarded to. */
export interface Upstream {
  readonly host: string;
  readonly port: number;
}

export class UpstreamSyntaxError extends Error {
  override readonly name = "UpstreamSyntaxError";
}

/**
 * Parses `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address (port 53).
 * Names are refused: resolving the resolver would need a resolver.
 */
export function parseUpstream(spec: string): Upstream {
  const s = spec.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  let host = s;
  let port = "53";
  if (bracketed) {
    host = bracketed[1] ?? "";
    port = bracketed[2] ?? "53";
  } else if (/^[^:]+:\d+$/.test(s)) {
    [host = "", port = "53"] = s.split(":");
  }
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UpstreamSyntaxError(`upstream ${JSON.stringify(spec)}: bad port`);
  // A link-local IPv6 address may carry a zone (%eth0); the socket takes it as is.
  const bare = host.split("%")[0] ?? "";
  if (!parseIpv4(bare) && !parseIpv6(bare))
    throw new UpstreamSyntaxError(`upstream ${JSON.stringify(spec)}: not an IP address`);
  return { host, port: n };
}

/** The `nameserver` lines of a resolv.conf, in order. */
export function nameserversOf(resolvConf: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of resolvConf.split("\n")) {
    const [key, value] = line
      .replace(/[#;].*$/, "")
      .trim()
      .split(/\s+/);
    if (key !== "nameserver" || !value) continue;
    try {
      out.push(parseUpstream(value.includes(":") ? `[${value}]` : value));
    } catch {
      // resolv.conf is the host's; a line we cannot use is skipped, as libc does.
    }
  }
  return out;
}
