/**
 * Bearer service account tokens (upstream's service account token
 * authenticator with --service-account-lookup): a token signed by our key
 * for one of our audiences stands for its service account as long as that
 * account, and the object the token is bound to, still exist with the uids
 * the token names.
 */
import type { KubeObject } from "../../api/strategy.js";
import type { UserInfo } from "../registry/context.js";
import { type Authenticator, bearerToken, withAuthenticated } from "./authenticator.js";
import { type ObjectRef, tokenUser } from "./service-account-claims.js";
import { InvalidTokenError, type ServiceAccountTokenIssuer } from "./service-account-token.js";

/** The kinds a token can name, by their resource. */
export type BoundResource = "serviceaccounts" | "pods" | "secrets" | "nodes";

/** Reads stored objects: undefined when there is none. */
export type ObjectGetter = (ref: {
  readonly resource: BoundResource;
  readonly namespace: string;
  readonly name: string;
}) => Promise<KubeObject | undefined>;

/** Objects deleted longer ago than this no longer vouch for their tokens (upstream: 60 s). */
const DELETION_GRACE_MS = 60_000;

const KIND_WORDS: Record<BoundResource, string> = {
  serviceaccounts: "service account",
  pods: "pod",
  secrets: "secret",
  nodes: "node",
};

/** Throws InvalidTokenError unless the object the token names exists with the uid it names. */
async function checkObject(
  get: ObjectGetter,
  want: { resource: BoundResource; namespace: string; ref: ObjectRef; now: Date },
): Promise<void> {
  const word = KIND_WORDS[want.resource];
  const label = want.namespace ? `${want.namespace}/${want.ref.name}` : want.ref.name;
  const obj = await get({
    resource: want.resource,
    namespace: want.namespace,
    name: want.ref.name,
  });
  if (!obj) throw new InvalidTokenError(`${word} ${label} has been deleted`);
  const uid = obj.metadata?.uid ?? "";
  if (uid !== want.ref.uid)
    throw new InvalidTokenError(`${word} UID (${uid}) does not match claim (${want.ref.uid})`);
  const deleted = obj.metadata?.deletionTimestamp;
  if (deleted && Date.parse(deleted) < want.now.getTime() - DELETION_GRACE_MS)
    throw new InvalidTokenError(`${word} ${label} is being deleted`);
}

/** The user a verified token stands for, once every object it names is checked. */
export async function validateToken(
  token: string,
  deps: { issuer: ServiceAccountTokenIssuer; get: ObjectGetter; now: Date },
): Promise<{ user: UserInfo; audiences: readonly string[] } | undefined> {
  const verified = await deps.issuer.verify(token, { now: deps.now });
  if (!verified) return undefined;
  const { claim } = verified;
  const check = (resource: BoundResource, ref: ObjectRef, namespace = claim.namespace) =>
    checkObject(deps.get, { resource, namespace, ref, now: deps.now });
  await check("serviceaccounts", claim.serviceaccount);
  if (claim.pod) await check("pods", claim.pod);
  if (claim.secret) await check("secrets", claim.secret);
  // A pod-bound token names the pod's node for information; only a node-bound one depends on it.
  if (claim.node && !claim.pod) await check("nodes", claim.node, "");
  return {
    user: withAuthenticated(tokenUser(claim, verified.jti)),
    audiences: verified.audiences,
  };
}

export function serviceAccountAuthenticator(opts: {
  readonly issuer: ServiceAccountTokenIssuer;
  readonly get: ObjectGetter;
  readonly now: () => Date;
}): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return undefined;
      const result = await validateToken(token, { ...opts, now: opts.now() });
      return result?.user;
    },
  };
}
