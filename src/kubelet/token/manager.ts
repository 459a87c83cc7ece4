/**
 * The kubelet's service account tokens (upstream pkg/kubelet/token): one
 * per pod, account, audience and lifetime, asked of the API server's
 * TokenRequest when first needed and again when it is due for refresh
 * (refresh.ts); in between, every volume sync gets the same token, so the
 * projected file only changes when the token does. A refresh that fails
 * keeps the old token until it expires. Expired tokens are dropped.
 */
import { type IssuedToken, isExpired, MAX_JITTER_MS, requiresRefresh } from "./refresh.js";

export interface ServiceAccountTokenKey {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Absent: the API server's own audiences. */
  readonly audience?: string;
  readonly expirationSeconds: number;
  /** The pod the token is bound to. */
  readonly pod: { readonly name: string; readonly uid: string };
}

export interface TokenManagerOptions {
  /** Asks the API server for a token (TokenRequest bound to the pod). */
  readonly request: (key: ServiceAccountTokenKey) => Promise<IssuedToken>;
  /** Default: Date.now. */
  readonly now?: () => number;
  /** The refresh jitter in ms (default: random up to 10 s, as upstream). */
  readonly jitter?: () => number;
  readonly onRefreshError?: (key: ServiceAccountTokenKey, err: unknown) => void;
}

function cacheKey(k: ServiceAccountTokenKey): string {
  return JSON.stringify([
    k.namespace,
    k.serviceAccount,
    k.audience ?? "",
    k.expirationSeconds,
    k.pod.uid,
  ]);
}

export class TokenManager {
  readonly #cache = new Map<string, { issued: IssuedToken; podUid: string }>();
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #opts: TokenManagerOptions;
  readonly #now: () => number;
  readonly #jitter: () => number;

  constructor(opts: TokenManagerOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#jitter = opts.jitter ?? (() => Math.random() * MAX_JITTER_MS);
  }

  /** The token to publish for `key` now: the cached one unless due for refresh. */
  get(key: ServiceAccountTokenKey): Promise<string> {
    this.#dropExpired();
    const id = cacheKey(key);
    const cached = this.#cache.get(id)?.issued;
    if (cached && !requiresRefresh(cached, { nowMs: this.#now(), jitterMs: this.#jitter() }))
      return Promise.resolve(cached.token);
    let pending = this.#inFlight.get(id);
    if (!pending) {
      pending = this.#fetch(id, key).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  /** Forgets the tokens of a pod that is gone. */
  forgetPod(uid: string): void {
    for (const [id, entry] of this.#cache) if (entry.podUid === uid) this.#cache.delete(id);
  }

  /** How many tokens are cached (for tests and metrics). */
  get size(): number {
    return this.#cache.size;
  }

  async #fetch(id: string, key: ServiceAccountTokenKey): Promise<string> {
    try {
      const issued = await this.#opts.request(key);
      this.#cache.set(id, { issued, podUid: key.pod.uid });
      return issued.token;
    } catch (err) {
      const cached = this.#cache.get(id)?.issued;
      if (cached && !isExpired(cached, this.#now())) {
        this.#opts.onRefreshError?.(key, err);
        return cached.token;
      }
      throw err;
    }
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [id, entry] of this.#cache) if (isExpired(entry.issued, now)) this.#cache.delete(id);
  }
}
