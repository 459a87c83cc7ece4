/**
 * The API server's authenticator chain, upstream's order: x509 client
 * certificates, then static bearer tokens (--token-auth-file), then service
 * account tokens, checked against the store. A credential that one of them
 * owns but cannot accept (an expired or unbound token) ends in 401.
 */
import type { IncomingMessage } from "node:http";
import type { Store } from "../../storage/types.js";
import type { Logger } from "../../util/log.js";
import { decodeValue } from "../registry/codec.js";
import type { UserInfo } from "../registry/context.js";
import { prefixFor } from "../registry/keys.js";
import { unauthorized } from "../status.js";
import {
  type Authenticator,
  tokenAuthenticator,
  unionAuthenticator,
  x509Authenticator,
} from "./authenticator.js";
import { serviceAccountAuthenticator } from "./service-account-authenticator.js";
import { InvalidTokenError, type ServiceAccountTokenIssuer } from "./service-account-token.js";

export type RequestAuthenticator = (req: IncomingMessage) => Promise<UserInfo | undefined>;

export function requestAuthenticator(opts: {
  readonly store: Store;
  readonly issuer: ServiceAccountTokenIssuer;
  /** Static tokens (--token-auth-file), if any. */
  readonly tokens?: ReadonlyMap<string, UserInfo>;
  readonly log: Logger;
}): RequestAuthenticator {
  const chain: Authenticator[] = [x509Authenticator];
  if (opts.tokens) chain.push(tokenAuthenticator(opts.tokens));
  chain.push(
    serviceAccountAuthenticator({
      issuer: opts.issuer,
      now: () => new Date(),
      get: async (ref) => {
        const prefix = prefixFor({ group: "", plural: ref.resource }, ref.namespace || undefined);
        const kv = await opts.store.get(`${prefix}${ref.name}`);
        return kv ? decodeValue(kv.value) : undefined;
      },
    }),
  );
  const union = unionAuthenticator(chain);
  return async (req) => {
    try {
      return await union.authenticate(req);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      opts.log.info("token rejected", { uri: req.url, reason: err.message });
      throw unauthorized();
    }
  };
}
