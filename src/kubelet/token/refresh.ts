/**
 * When the kubelet asks for a new service account token (upstream's token
 * manager): once 80 % of the token's lifetime has passed, or once it is a
 * day old, less a jitter of up to 10 s so many pods do not refresh at the
 * same instant. Pure.
 */

/** A token as TokenRequest returned it. */
export interface IssuedToken {
  readonly token: string;
  /** status.expirationTimestamp, in ms since the epoch. */
  readonly expiresAtMs: number;
  /** spec.expirationSeconds: the lifetime asked for. */
  readonly expirationSeconds: number;
}

const MAX_TTL_MS = 24 * 60 * 60 * 1000;
/** Upstream's maxJitter. */
export const MAX_JITTER_MS = 10_000;

export function requiresRefresh(
  token: IssuedToken,
  opts: { readonly nowMs: number; readonly jitterMs: number },
): boolean {
  const ttlMs = token.expirationSeconds * 1000;
  const issuedAtMs = token.expiresAtMs - ttlMs;
  if (opts.nowMs > issuedAtMs + MAX_TTL_MS - opts.jitterMs) return true;
  return opts.nowMs > token.expiresAtMs - ttlMs * 0.2 - opts.jitterMs;
}

/** Whether the token can still be used at all (a failed refresh falls back to it until then). */
export function isExpired(token: IssuedToken, nowMs: number): boolean {
  return nowMs >= token.expiresAtMs;
}
