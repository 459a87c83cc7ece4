/**
 * What a request asks for, read from its method and path the way upstream's
 * RequestInfoFactory does: resource requests under /api and /apis (verb,
 * group, version, namespace, resource, name, subresource) and everything
 * else as a non-resource request.
 */

export type RequestVerb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection"
  | "connect";

export interface ResourceRequest {
  readonly isResource: true;
  readonly verb: RequestVerb;
  readonly group: string;
  readonly version: string;
  /** "" for cluster-scoped requests. */
  readonly namespace: string;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
  readonly path: string;
}

export interface NonResourceRequest {
  readonly isResource: false;
  /** Lower-cased HTTP method: get, post, put, patch, delete. */
  readonly verb: string;
  readonly path: string;
  /** The path segments after /api or /apis when the request is discovery-shaped. */
  readonly segments: readonly string[];
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const CONNECT_SUBRESOURCES = new Set(["exec", "attach", "portforward", "proxy"]);

/** What Go's strconv.ParseBool reads as true (clients send `True`, `1`, `true`). */
export const TRUE_VALUES = new Set(["1", "t", "T", "TRUE", "true", "True"]);
/** What Go's strconv.ParseBool reads as false. */
export const FALSE_VALUES = new Set(["0", "f", "F", "FALSE", "false", "False"]);

export function parseRequestInfo(
  method: string,
  path: string,
  query: URLSearchParams,
): RequestInfo {
  const segments = path
    .split("/")
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  const nonResource: NonResourceRequest = {
    isResource: false,
    verb: method.toLowerCase(),
    path,
    segments,
  };
  let rest: string[];
  let group: string;
  let version: string;
  if (segments[0] === "api" && segments.length >= 3) {
    group = "";
    version = segments[1] as string;
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 4) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else {
    return nonResource;
  }

  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace = "";
  // /namespaces/{ns}/{resource}... but /namespaces/{name} and /namespaces/{name}/status|finalize
  // address the namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const sub = rest[2] as string;
    if (sub === "status" || sub === "finalize") {
      // the namespace object's own subresource
    } else {
      namespace = rest[1] as string;
      rest = rest.slice(2);
    }
  }
  const resource = rest[0] ?? "";
  const name = rest[1] ?? "";
  const subresource = rest.slice(2).join("/");
  if (resource === "") return nonResource;

  const m = method.toUpperCase();
  let verb: RequestVerb | undefined;
  const watchParam = query.get("watch");
  const wantsWatch = watchPath || (watchParam !== null && TRUE_VALUES.has(watchParam));
  switch (m) {
    case "GET":
    case "HEAD":
      verb = wantsWatch ? "watch" : name === "" ? "list" : "get";
      break;
    case "POST":
      // Creates go to the collection; a name in the path is only valid for subresources.
      verb = name !== "" && subresource === "" ? undefined : "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name === "" ? "deletecollection" : "delete";
      break;
    default:
      verb = undefined;
  }
  if (verb === undefined) return { ...nonResource, verb: "unsupported" };
  if (CONNECT_SUBRESOURCES.has(subresource.split("/")[0] ?? "")) verb = "connect";
  return {
    isResource: true,
    verb,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    path,
  };
}
