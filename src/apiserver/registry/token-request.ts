/**
 * POST serviceaccounts/<name>/token (upstream's TokenREST): an
 * authentication.k8s.io/v1 TokenRequest in, the same with status.token (a
 * signed JWT for the service account) and status.expirationTimestamp out.
 * A token may be bound to a Pod, Secret or Node of the namespace; it is
 * then valid only while that object exists with the same uid.
 */
import { randomUUID } from "node:crypto";
import type { KubeObject } from "../../api/strategy.js";
import { type FieldError, invalid as invalidField, path } from "../../machinery/field-errors.js";
import { buildClaims, type ObjectRef, type TokenBinding } from "../authn/service-account-claims.js";
import { badRequest, conflict, invalid, notFound, notImplemented } from "../status.js";
import { decodeValue } from "./codec.js";
import { type RegistryContext, type TokenIssuing, timestamp } from "./context.js";
import { prefixFor } from "./keys.js";

/** The lifetime of the token in the volume admission injects (upstream WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_TOKEN_EXPIRATION_SECONDS = 3607;
/** How long extended tokens really last (upstream ExpirationExtensionSeconds: a year). */
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32 - 1;

const TOKEN_REQUEST_KIND = { group: "authentication.k8s.io", kind: "TokenRequest" };

interface TokenRequestBody {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    audiences?: string[] | null;
    expirationSeconds?: number | null;
    boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
  };
}

async function stored(
  ctx: RegistryContext,
  ref: { plural: string; namespace: string; name: string },
): Promise<KubeObject | undefined> {
  const kv = await ctx.store.get(
    `${prefixFor({ group: "", plural: ref.plural }, ref.namespace || undefined)}${ref.name}`,
  );
  return kv ? decodeValue(kv.value) : undefined;
}

async function mustGet(
  ctx: RegistryContext,
  ref: { plural: string; namespace: string; name: string },
): Promise<KubeObject> {
  const obj = await stored(ctx, ref);
  if (!obj) throw notFound({ group: "", resource: ref.plural }, ref.name);
  return obj;
}

function refOf(obj: KubeObject): ObjectRef {
  return { name: obj.metadata?.name ?? "", uid: obj.metadata?.uid ?? "" };
}

function validate(name: string, req: TokenRequestBody, namespace: string): FieldError[] {
  const errs: FieldError[] = [];
  const meta = req.metadata ?? {};
  if (meta.name && meta.name !== name)
    errs.push(
      invalidField(
        path("metadata", "name"),
        meta.name,
        "must match the service account name if specified",
      ),
    );
  if (meta.namespace && meta.namespace !== namespace)
    errs.push(
      invalidField(
        path("metadata", "namespace"),
        meta.namespace,
        "must match the service account namespace if specified",
      ),
    );
  return errs;
}

function validateExpiration(seconds: unknown): FieldError[] {
  const p = path("spec", "expirationSeconds");
  if (typeof seconds !== "number" || !Number.isInteger(seconds))
    return [invalidField(p, seconds, "must be an integer")];
  if (seconds < MIN_EXPIRATION_SECONDS)
    return [invalidField(p, seconds, "may not specify a duration less than 10 minutes")];
  if (seconds > MAX_EXPIRATION_SECONDS)
    return [invalidField(p, seconds, "may not specify a duration larger than 2^32 seconds")];
  return [];
}

/** The object the token is bound to, checked against the store; the pod's node comes along. */
async function resolveBinding(
  ctx: RegistryContext,
  req: {
    namespace: string;
    serviceAccount: string;
    ref: NonNullable<TokenRequestBody["spec"]>["boundObjectRef"];
  },
): Promise<{ binding: TokenBinding; podBound: boolean }> {
  const ref = req.ref;
  if (!ref) return { binding: {}, podBound: false };
  const apiVersion = ref.apiVersion ?? "";
  const kind = ref.kind ?? "";
  const name = ref.name ?? "";
  if (apiVersion !== "v1" || !["Pod", "Secret", "Node"].includes(kind))
    throw badRequest(`cannot bind token against ${apiVersion}, Kind=${kind}`);
  const plural = `${kind.toLowerCase()}s`;
  const obj = await mustGet(ctx, {
    plural,
    namespace: kind === "Node" ? "" : req.namespace,
    name,
  });
  if (kind === "Pod") {
    const spec = (obj.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
    if (spec.serviceAccountName !== req.serviceAccount)
      throw badRequest(
        `cannot bind token for serviceaccount "${req.serviceAccount}" to pod running with different serviceaccount name.`,
      );
  }
  const uid = obj.metadata?.uid ?? "";
  if (ref.uid && ref.uid !== uid)
    throw conflict(
      { group: "", resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  if (kind === "Secret") return { binding: { secret: refOf(obj) }, podBound: false };
  if (kind === "Node") return { binding: { node: refOf(obj) }, podBound: false };
  const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  // The pod's node is information only: a node that cannot be read is left out.
  const node = nodeName
    ? await stored(ctx, { plural: "nodes", namespace: "", name: nodeName })
    : undefined;
  return {
    binding: { pod: refOf(obj), ...(node ? { node: refOf(node) } : {}) },
    podBound: true,
  };
}

/** Serves one TokenRequest; returns the TokenRequest with its status filled. */
export async function requestToken(
  ctx: RegistryContext,
  req: { namespace: string; name: string; body: unknown },
): Promise<KubeObject> {
  const tokens: TokenIssuing | undefined = ctx.serviceAccountTokens;
  if (!tokens) throw notImplemented("service account token issuing is not configured");
  const body = (req.body ?? {}) as TokenRequestBody;
  if (typeof body !== "object") throw badRequest("a TokenRequest must be an object");
  const metaErrors = validate(req.name, body, req.namespace);
  if (metaErrors.length > 0) throw invalid(TOKEN_REQUEST_KIND, req.name, metaErrors);
  const sa = await mustGet(ctx, {
    plural: "serviceaccounts",
    namespace: req.namespace,
    name: req.name,
  });
  const spec = body.spec ?? {};
  const audiences =
    spec.audiences && spec.audiences.length > 0
      ? [...spec.audiences]
      : [...tokens.issuer.apiAudiences];
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const now = ctx.now();
  const specErrors = validateExpiration(expirationSeconds);
  if (specErrors.length > 0) throw invalid(TOKEN_REQUEST_KIND, "", specErrors);

  const { binding, podBound } = await resolveBinding(ctx, {
    namespace: req.namespace,
    serviceAccount: req.name,
    ref: spec.boundObjectRef,
  });
  // Tokens of the admission-injected volume outlive their stated hour, so
  // clients that never re-read the file keep working (they are warned about).
  const extend =
    tokens.extendExpiration &&
    podBound &&
    expirationSeconds === WARN_ONLY_TOKEN_EXPIRATION_SECONDS &&
    audiences.every((a) => tokens.issuer.apiAudiences.includes(a));
  const claims = buildClaims({
    namespace: req.namespace,
    serviceAccount: refOf(sa),
    binding,
    audiences,
    expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
    ...(extend ? { warnAfterSeconds: expirationSeconds } : {}),
    now,
    jti: randomUUID(),
  });
  const token = await tokens.issuer.sign(claims);
  return {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { name: req.name, namespace: req.namespace, creationTimestamp: timestamp(now) },
    spec: {
      audiences,
      expirationSeconds,
      ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}),
    },
    status: {
      token,
      expirationTimestamp: timestamp(new Date(now.getTime() + expirationSeconds * 1000)),
    },
  };
}
