/**
 * Header rewriting for the proxy (pure), on Node's raw header lists
 * (`[name, value, name, value, ...]`) so case and repeated headers such
 * as Set-Cookie survive. Hop-by-hop headers (RFC 9110 §7.6.1: Connection
 * and those it lists, Keep-Alive, TE, Trailer, Transfer-Encoding,
 * Upgrade, Proxy-*) belong to one connection and are dropped; an upgrade
 * keeps Upgrade and says so in Connection. The proxy tells the backend who
 * asked: X-Forwarded-For gets the client appended (as nginx's
 * $proxy_add_x_forwarded_for), X-Forwarded-Proto/-Host/-Port and
 * X-Real-IP describe the client's request and replace incoming values.
 */

import { HOP_BY_HOP } from "../util/hop-by-hop.js";

/**
 * Request headers not passed upstream: Node's server has already answered
 * `Expect: 100-continue` to the client, and the body follows regardless.
 */
const ANSWERED = new Set(["expect"]);

/** Headers the proxy sets itself, so a client cannot pass its own through. */
const REPLACED = new Set([
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-real-ip",
]);

export interface ClientSide {
  /** The client's address as the socket saw it. */
  readonly clientIp: string;
  readonly proto: "http" | "https";
  /** The port the client connected to. */
  readonly port: number;
  /** Keep Upgrade/Connection for a protocol switch (WebSocket). */
  readonly upgrade: boolean;
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/** Header names a Connection header lists, which are hop-by-hop too. */
function connectionTokens(headers: Array<[string, string]>): Set<string> {
  const out = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "connection") continue;
    for (const t of value.split(",")) if (t.trim()) out.add(t.trim().toLowerCase());
  }
  return out;
}

function endToEnd(headers: Array<[string, string]>, keep: ReadonlySet<string>) {
  const listed = connectionTokens(headers);
  return headers.filter(([name]) => {
    const n = name.toLowerCase();
    return keep.has(n) || (!HOP_BY_HOP.has(n) && !listed.has(n));
  });
}

/** The raw headers to send upstream for a client request. */
export function upstreamRequestHeaders(raw: readonly string[], client: ClientSide): string[] {
  const headers = pairs(raw);
  const keep = client.upgrade ? new Set(["upgrade"]) : new Set<string>();
  const prior = headers
    .filter(([n]) => n.toLowerCase() === "x-forwarded-for")
    .map(([, v]) => v.trim())
    .filter(Boolean);
  const host = headers.find(([n]) => n.toLowerCase() === "host")?.[1] ?? "";
  const out = endToEnd(headers, keep).filter(
    ([n]) => !REPLACED.has(n.toLowerCase()) && !ANSWERED.has(n.toLowerCase()),
  );
  out.push(
    ["X-Forwarded-For", [...prior, client.clientIp].join(", ")],
    ["X-Forwarded-Proto", client.proto],
    ["X-Forwarded-Host", host],
    ["X-Forwarded-Port", String(client.port)],
    ["X-Real-IP", client.clientIp],
  );
  if (client.upgrade) out.push(["Connection", "Upgrade"]);
  return out.flat();
}

/** The raw headers to send the client from an upstream response. */
export function downstreamResponseHeaders(
  raw: readonly string[],
  opts: { upgrade: boolean },
): string[] {
  const keep = opts.upgrade ? new Set(["upgrade", "connection"]) : new Set<string>();
  return endToEnd(pairs(raw), keep).flat();
}

/** A socket's remote address without the IPv4-mapped prefix (`::ffff:10.0.0.1` → `10.0.0.1`). */
export function plainAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
