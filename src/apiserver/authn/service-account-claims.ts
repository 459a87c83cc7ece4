/**
 * The claims of a service account token (upstream pkg/serviceaccount):
 * registered JWT claims plus the private `kubernetes.io` claim naming the
 * service account and the object the token is bound to. Building them,
 * reading them back, and the user a valid token stands for. Pure.
 */
import type { UserInfo } from "../registry/context.js";

/** `name` and `uid` of an object a token names. */
export interface ObjectRef {
  readonly name: string;
  readonly uid: string;
}

/** The private claim, as upstream serialises it. */
export interface KubernetesClaim {
  readonly namespace: string;
  readonly serviceaccount: ObjectRef;
  readonly pod?: ObjectRef;
  readonly secret?: ObjectRef;
  readonly node?: ObjectRef;
  /** Unix seconds after which use of the token is only warned about (extended-expiry tokens). */
  readonly warnafter?: number;
}

export interface TokenClaims {
  readonly sub: string;
  readonly aud: readonly string[];
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly jti: string;
  readonly "kubernetes.io": KubernetesClaim;
}

/** What a token is bound to: at most one object (a pod may carry its node). */
export interface TokenBinding {
  readonly pod?: ObjectRef;
  readonly secret?: ObjectRef;
  readonly node?: ObjectRef;
}

export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
export const ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

/** Upstream's user-info extra keys for bound tokens. */
export const EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
export const EXTRA_POD_UID = "authentication.kubernetes.io/pod-uid";
export const EXTRA_NODE_NAME = "authentication.kubernetes.io/node-name";
export const EXTRA_NODE_UID = "authentication.kubernetes.io/node-uid";
export const EXTRA_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccounts` and `system:serviceaccounts:<namespace>`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

/**
 * The claims of a new token: valid from `now` for `expirationSeconds`;
 * `warnAfterSeconds` (extended tokens) records when the requested lifetime ends.
 */
export function buildClaims(opts: {
  readonly namespace: string;
  readonly serviceAccount: ObjectRef;
  readonly binding: TokenBinding;
  readonly audiences: readonly string[];
  readonly expirationSeconds: number;
  readonly warnAfterSeconds?: number;
  readonly now: Date;
  readonly jti: string;
}): TokenClaims {
  const iat = Math.floor(opts.now.getTime() / 1000);
  const { pod, secret, node } = opts.binding;
  if (pod && secret) throw new Error("a token can only be bound to one object");
  const k8s: KubernetesClaim = {
    namespace: opts.namespace,
    serviceaccount: { name: opts.serviceAccount.name, uid: opts.serviceAccount.uid },
    ...(pod ? { pod: { ...pod } } : {}),
    ...(secret ? { secret: { ...secret } } : {}),
    ...(node && !secret ? { node: { ...node } } : {}),
    ...(opts.warnAfterSeconds ? { warnafter: iat + opts.warnAfterSeconds } : {}),
  };
  return {
    sub: serviceAccountUsername(opts.namespace, opts.serviceAccount.name),
    aud: [...opts.audiences],
    iat,
    nbf: iat,
    exp: iat + opts.expirationSeconds,
    jti: opts.jti,
    "kubernetes.io": k8s,
  };
}

/** A token whose claims are not those of a service account token. */
export class InvalidClaimsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidClaimsError";
  }
}

function ref(value: unknown, what: string): ObjectRef | undefined {
  if (value === undefined || value === null) return undefined;
  const r = value as { name?: unknown; uid?: unknown };
  if (typeof r.name !== "string" || r.name === "" || typeof r.uid !== "string")
    throw new InvalidClaimsError(`token ${what} reference is malformed`);
  return { name: r.name, uid: r.uid };
}

/** The private claim of a verified payload; throws InvalidClaimsError when it is missing or malformed. */
export function readKubernetesClaim(payload: Record<string, unknown>): KubernetesClaim {
  const raw = payload["kubernetes.io"] as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== "object") throw new InvalidClaimsError("token contains no claims");
  const namespace = raw.namespace;
  if (typeof namespace !== "string" || namespace === "")
    throw new InvalidClaimsError("namespace claim is missing");
  const serviceaccount = ref(raw.serviceaccount, "serviceaccount");
  if (!serviceaccount) throw new InvalidClaimsError("serviceaccount claim is missing");
  const pod = ref(raw.pod, "pod");
  const secret = ref(raw.secret, "secret");
  const node = ref(raw.node, "node");
  const sub = payload.sub;
  if (sub !== serviceAccountUsername(namespace, serviceaccount.name))
    throw new InvalidClaimsError("sub claim does not name the service account of the token");
  return {
    namespace,
    serviceaccount,
    ...(pod ? { pod } : {}),
    ...(secret ? { secret } : {}),
    ...(node ? { node } : {}),
    ...(typeof raw.warnafter === "number" ? { warnafter: raw.warnafter } : {}),
  };
}

/** The user a valid token authenticates as (upstream ServiceAccountInfo.UserInfo). */
export function tokenUser(claim: KubernetesClaim, jti: string | undefined): UserInfo {
  const extra: Record<string, string[]> = {};
  if (claim.pod) {
    extra[EXTRA_POD_NAME] = [claim.pod.name];
    extra[EXTRA_POD_UID] = [claim.pod.uid];
  }
  if (claim.node) {
    extra[EXTRA_NODE_NAME] = [claim.node.name];
    extra[EXTRA_NODE_UID] = [claim.node.uid];
  }
  if (jti) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${jti}`];
  return {
    name: serviceAccountUsername(claim.namespace, claim.serviceaccount.name),
    uid: claim.serviceaccount.uid,
    groups: serviceAccountGroups(claim.namespace),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** The audiences a token carries that the server accepts; a token without any counts as the server's. */
export function acceptedAudiences(
  tokenAudiences: readonly string[],
  serverAudiences: readonly string[],
): string[] {
  const token = tokenAudiences.length === 0 ? serverAudiences : tokenAudiences;
  return token.filter((a) => serverAudiences.includes(a));
}
