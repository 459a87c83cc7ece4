/**
 * What an authorizer is asked about a request, and the 403 a denied request
 * gets: upstream's responsewriters.Forbidden (forbiddenMessage) wrapped in
 * apierrors.NewForbidden, so kubectl prints
 * `Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
import type { RequestInfo, RequestVerb } from "../http/request-info.js";
import type { UserInfo } from "../registry/context.js";
import { ApiError, type Status, type StatusDetails } from "../status.js";
import { attributesOf } from "./authorizer.js";
import type { Attributes } from "./types.js";

/** Connect subresources (exec, attach, portforward, proxy) are authorized with their HTTP method's verb. */
const CONNECT_VERBS: Readonly<Record<string, RequestVerb>> = {
  GET: "get",
  HEAD: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/**
 * The request as authorization sees it, as upstream's RequestInfoFactory
 * builds it: connect subresources take the verb of their method (a
 * WebSocket `kubectl exec` is a get on pods/exec, a SPDY one a create), and
 * a list or watch whose fieldSelector requires one metadata.name names
 * that object (so rules with resourceNames can allow `kubectl get pod x -w`).
 */
export function authorizationTarget(
  info: RequestInfo,
  method: string,
  query: URLSearchParams,
): RequestInfo {
  if (!info.isResource) return info;
  if (info.verb === "connect") {
    const verb = CONNECT_VERBS[method.toUpperCase()];
    return verb ? { ...info, verb } : info;
  }
  if ((info.verb === "list" || info.verb === "watch") && info.name === "") {
    const name = selectedName(query.get("fieldSelector") ?? "");
    if (name !== undefined) return { ...info, name };
  }
  return info;
}

/** The name a field selector requires exactly (`metadata.name=x`, `metadata.name==x`), if a valid path segment. */
export function selectedName(selector: string): string | undefined {
  if (selector === "" || selector.includes("\\")) return undefined;
  for (const term of selector.split(",")) {
    const m = /^metadata\.name==?(.*)$/.exec(term);
    if (!m) continue;
    const name = m[1] as string;
    if (name === "" || name === "." || name === ".." || /[/%]/.test(name)) return undefined;
    return name;
  }
  return undefined;
}

/** Upstream's forbiddenMessage: what the user cannot do, without the object's name. */
export function forbiddenMessage(user: UserInfo, attrs: Attributes): string {
  const u = JSON.stringify(user.name);
  if (!attrs.isResource) return `User ${u} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource =
    attrs.subresource === "" ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  const what = `User ${u} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.group)}`;
  return attrs.namespace !== ""
    ? `${what} in the namespace ${JSON.stringify(attrs.namespace)}`
    : `${what} at the cluster scope`;
}

/** Upstream escapes what could read as HTML in the message (quotes stay). */
const sanitize = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The 403 for a denied request: `<resource>[.<group>] ["<name>"] is forbidden: <message>[: <reason>]`,
 * or `forbidden: <message>` for a non-resource path; details name the group, resource and object.
 */
export function forbiddenError(user: UserInfo, request: RequestInfo, reason: string): ApiError {
  const attrs = attributesOf(request);
  let message = sanitize(forbiddenMessage(user, attrs));
  if (reason !== "") message = `${message}: ${reason}`;
  const details: StatusDetails = {};
  let prefix = "forbidden";
  if (attrs.isResource) {
    const qualified = attrs.group === "" ? attrs.resource : `${attrs.resource}.${attrs.group}`;
    prefix =
      attrs.name === ""
        ? `${qualified} is forbidden`
        : `${qualified} ${JSON.stringify(attrs.name)} is forbidden`;
    if (attrs.name !== "") details.name = attrs.name;
    if (attrs.group !== "") details.group = attrs.group;
    details.kind = attrs.resource;
  }
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${prefix}: ${message}`,
    reason: "Forbidden",
    details,
    code: 403,
  };
  return new ApiError(status);
}
