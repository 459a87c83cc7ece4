/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they belong to one connection and
 * a proxy never passes them on — Connection and those it lists,
 * Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-*.
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
