/**
 * POST /apis/authorization.k8s.io/v1/{selfsubjectaccessreviews,
 * subjectaccessreviews, namespaces/{ns}/localsubjectaccessreviews,
 * selfsubjectrulesreviews}: may a user do something, and what may the
 * caller do in a namespace (`kubectl auth can-i`, `can-i --list`). Create
 * only, nothing stored: the answer is the request with its status filled in.
 * The logic is rbac/reviews.ts; this is the HTTP side.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceDescriptor } from "../../api/resources.js";
import type { Authorizer } from "../authz.js";
import { decodeBody, readBody } from "../http/body.js";
import { negotiateObject } from "../http/negotiate.js";
import type { ResourceRequest } from "../http/request-info.js";
import { writeObject } from "../http/respond.js";
import { RbacAuthorizer } from "../rbac/authorizer.js";
import {
  type AccessReviewKind,
  type AccessReviewSpec,
  decide,
  decodeAccessReviewSpec,
  decodeMetadata,
  rulesReviewStatus,
  subjectOf,
  validateLocalSubjectAccessReview,
  validateSelfSubjectAccessReview,
  validateSubjectAccessReview,
} from "../rbac/reviews.js";
import type { RbacObjects } from "../rbac/types.js";
import type { UserInfo } from "../registry/context.js";
import { badRequest, invalid, methodNotAllowed, notFoundPath } from "../status.js";

export const AUTHORIZATION_GROUP = "authorization.k8s.io";
const API_VERSION = "authorization.k8s.io/v1";

function review(kind: string, plural: string, namespaced: boolean): ResourceDescriptor {
  return {
    group: AUTHORIZATION_GROUP,
    version: "v1",
    kind,
    plural,
    singular: plural.slice(0, -1),
    shortNames: [],
    categories: [],
    namespaced,
    verbs: ["create"],
    subresources: [],
  };
}

/** The four review kinds, for discovery and OpenAPI (they are served outside the registry). */
export const ACCESS_REVIEW_RESOURCES: readonly ResourceDescriptor[] = [
  review("LocalSubjectAccessReview", "localsubjectaccessreviews", true),
  review("SelfSubjectAccessReview", "selfsubjectaccessreviews", false),
  review("SelfSubjectRulesReview", "selfsubjectrulesreviews", false),
  review("SubjectAccessReview", "subjectaccessreviews", false),
];

export function isAccessReview(info: ResourceRequest): boolean {
  return (
    info.group === AUTHORIZATION_GROUP &&
    ACCESS_REVIEW_RESOURCES.some((d) => d.plural === info.resource)
  );
}

export interface AccessReviewHttp {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Who is asking (the reviews of the caller's own access are about this user). */
  readonly user: UserInfo;
}

/** The 422 upstream's NewInvalid gives: the decoded internal object has no kind, only the group. */
function invalidReview(errors: Parameters<typeof invalid>[2]) {
  const err = invalid({ group: AUTHORIZATION_GROUP, kind: "" }, "", errors);
  delete err.status.details?.kind;
  return err;
}

/** The spec echoed as upstream serialises it: only the fields set (Go's omitempty). */
function specOut(spec: AccessReviewSpec): Record<string, unknown> {
  return { ...spec };
}

export interface AccessReviewDeps {
  /** The server's authorizer: what every review asks. */
  readonly authz: Authorizer;
  /** Where RBAC reads roles and bindings (RBAC mode), for SelfSubjectRulesReview. */
  readonly rbacObjects?: RbacObjects | undefined;
}

export async function serveAccessReview(
  deps: AccessReviewDeps,
  info: ResourceRequest,
  http: AccessReviewHttp,
): Promise<void> {
  const d = ACCESS_REVIEW_RESOURCES.find((x) => x.plural === info.resource);
  if (d === undefined || info.version !== "v1" || info.name !== "" || info.subresource !== "")
    throw notFoundPath();
  if (d.namespaced !== (info.namespace !== "")) throw notFoundPath();
  if (info.verb !== "create") throw methodNotAllowed();
  const kind = d.kind;
  const body = decodeBody(await readBody(http.req), http.req.headers["content-type"], {
    apiVersion: API_VERSION,
    kind,
  });
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw badRequest(`the object provided is unrecognized (must be of type ${kind})`);
  const sent = body as { kind?: unknown; apiVersion?: unknown };
  if (sent.apiVersion !== undefined && sent.apiVersion !== API_VERSION)
    throw badRequest(
      `the API version in the data (${String(sent.apiVersion)}) does not match the expected API version (${API_VERSION})`,
    );
  if (sent.kind !== undefined && sent.kind !== kind)
    throw badRequest(`the object provided is unrecognized (must be of type ${kind})`);
  const metadata = decodeMetadata(body);
  const format = negotiateObject(http.req.headers.accept);
  const yaml = format?.kind === "object" && format.encoding === "yaml";
  const answer = (obj: Record<string, unknown>) =>
    writeObject(http.res, 201, { kind, apiVersion: API_VERSION, ...obj }, { yaml });

  if (kind === "SelfSubjectRulesReview") {
    const specIn = (body as { spec?: unknown }).spec;
    const ns =
      specIn !== null && typeof specIn === "object"
        ? (specIn as { namespace?: unknown }).namespace
        : undefined;
    if (ns !== undefined && ns !== null && typeof ns !== "string")
      throw badRequest(
        "json: cannot unmarshal into Go struct field SelfSubjectRulesReviewSpec.spec.namespace of type string",
      );
    if (typeof ns !== "string" || ns === "") throw badRequest("no namespace on request");
    // Upstream answers with a new object: only the status, the spec left empty.
    return answer({
      metadata: { creationTimestamp: null },
      spec: {},
      status: rulesReviewStatus(
        deps.authz,
        http.user,
        ns,
        deps.rbacObjects ? new RbacAuthorizer(deps.rbacObjects) : undefined,
      ),
    });
  }

  const spec = decodeAccessReviewSpec(body, kind as AccessReviewKind);
  let subject = http.user;
  const meta: Record<string, unknown> = { creationTimestamp: null };
  if (kind === "SelfSubjectAccessReview") {
    const errs = validateSelfSubjectAccessReview(spec, metadata);
    if (errs.length > 0) throw invalidReview(errs);
  } else if (kind === "SubjectAccessReview") {
    // A cluster-scoped object's namespace is cleared before validation.
    const { namespace: _ns, ...rest } = metadata;
    const errs = validateSubjectAccessReview(spec, rest);
    if (errs.length > 0) throw invalidReview(errs);
    subject = subjectOf(spec);
  } else {
    const given = metadata.namespace;
    if (typeof given === "string" && given !== "" && given !== info.namespace)
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    const errs = validateLocalSubjectAccessReview(spec, metadata, info.namespace);
    if (errs.length > 0) throw invalidReview(errs);
    subject = subjectOf(spec);
    meta.namespace = info.namespace;
  }
  const status = await decide(deps.authz, subject, spec);
  return answer({ metadata: meta, spec: specOut(spec), status });
}
