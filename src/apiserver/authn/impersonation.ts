/**
 * User impersonation (upstream's WithImpersonation filter): the
 * Impersonate-User, Impersonate-Uid, Impersonate-Group and
 * Impersonate-Extra-<key> headers ask to act as someone else. Each thing
 * asked for is an `impersonate` request the authenticated user must be
 * allowed (users, groups, serviceaccounts in the core group; uids and
 * userextras/<key> in authentication.k8s.io); then the request goes on as
 * the impersonated user. What `kubectl --as` and `--as-group` send.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Authorizer } from "../authz.js";
import type { ResourceRequest } from "../http/request-info.js";
import { forbiddenError } from "../rbac/forbidden.js";
import type { UserInfo } from "../registry/context.js";

const SA_PREFIX = "system:serviceaccount:";
const EXTRA_PREFIX = "impersonate-extra-";

/** One thing to impersonate, as the authorization check it needs. */
export type ImpersonationCheck = Pick<
  ResourceRequest,
  "group" | "resource" | "subresource" | "namespace" | "name"
>;

export class ImpersonationError extends Error {}

function values(headers: IncomingHttpHeaders, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The checks the headers ask for and the user they lead to, or undefined
 * without impersonation headers. Pure.
 */
export function impersonationPlan(
  headers: IncomingHttpHeaders,
): { checks: ImpersonationCheck[]; user: UserInfo } | undefined {
  const name = values(headers, "impersonate-user")[0] ?? "";
  const uid = values(headers, "impersonate-uid")[0] ?? "";
  // Node joins repeated headers with ", " (Go's Header keeps each value).
  const groupsAsked = values(headers, "impersonate-group").flatMap((g) => g.split(", "));
  const extra: Record<string, string[]> = {};
  for (const header of Object.keys(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    const key = decodeURIComponent(header.slice(EXTRA_PREFIX.length)).toLowerCase();
    extra[key] = values(headers, header).flatMap((v) => v.split(", "));
  }
  const hasOthers = groupsAsked.length > 0 || uid !== "" || Object.keys(extra).length > 0;
  if (name === "") {
    if (hasOthers)
      throw new ImpersonationError(
        "requested impersonation of groups, a uid or extra fields without impersonating a user",
      );
    return undefined;
  }
  const checks: ImpersonationCheck[] = [];
  const check = (c: Partial<ImpersonationCheck> & Pick<ImpersonationCheck, "resource" | "name">) =>
    checks.push({ group: "", subresource: "", namespace: "", ...c });
  const groups: string[] = [];
  const sa = name.startsWith(SA_PREFIX) ? name.slice(SA_PREFIX.length).split(":") : undefined;
  if (sa && sa.length === 2 && sa[0] && sa[1]) {
    check({ resource: "serviceaccounts", namespace: sa[0], name: sa[1] });
    if (groupsAsked.length === 0)
      groups.push("system:serviceaccounts", `system:serviceaccounts:${sa[0]}`);
  } else {
    check({ resource: "users", name });
  }
  for (const g of groupsAsked) {
    check({ resource: "groups", name: g });
    groups.push(g);
  }
  if (uid !== "") check({ group: "authentication.k8s.io", resource: "uids", name: uid });
  for (const [key, vs] of Object.entries(extra))
    for (const v of vs)
      check({ group: "authentication.k8s.io", resource: "userextras", subresource: key, name: v });
  // An impersonated user other than anonymous is authenticated, unless the groups
  // asked for say system:unauthenticated.
  if (
    name !== "system:anonymous" &&
    !groups.includes("system:authenticated") &&
    !groups.includes("system:unauthenticated")
  )
    groups.push("system:authenticated");
  const user: UserInfo = {
    name,
    groups,
    ...(uid !== "" ? { uid } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return { checks, user };
}

/** The impersonate request to authorize for one check. */
export function impersonateRequest(c: ImpersonationCheck): ResourceRequest {
  return {
    isResource: true,
    verb: "impersonate" as ResourceRequest["verb"],
    version: "",
    path: "",
    ...c,
  };
}

/**
 * Who the request acts as: `requestor` without impersonation headers, else
 * the impersonated user once every check is allowed (403 naming the first
 * refused one, as upstream; 500 for headers that ask for groups without a
 * user, as upstream's filter answers).
 */
export async function actingUser(
  requestor: UserInfo,
  headers: IncomingHttpHeaders,
  authorizer: Authorizer,
): Promise<UserInfo> {
  const plan = impersonationPlan(headers);
  if (plan === undefined) return requestor;
  for (const check of plan.checks) {
    const request = impersonateRequest(check);
    const decision = await authorizer.authorize(requestor, request);
    if (!decision.allowed) throw forbiddenError(requestor, request, decision.reason ?? "");
  }
  return plan.user;
}
