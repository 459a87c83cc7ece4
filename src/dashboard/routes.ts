/**
 * The dashboard's URL space, parsed without touching the network:
 *   /                                        overview
 *   /healthz                                 ok
 *   /resources/<group>/<version>/<plural>    a list (?namespace=ns filters)
 *   /resources/<group>/<version>/<plural>/<name>   one object (?namespace=ns)
 * The core group ("" in the API) is spelled `core` in these paths.
 */

export type Route =
  | { readonly kind: "overview" }
  | { readonly kind: "healthz" }
  | {
      readonly kind: "list";
      readonly group: string;
      readonly version: string;
      readonly plural: string;
      readonly namespace: string | undefined;
    }
  | {
      readonly kind: "object";
      readonly group: string;
      readonly version: string;
      readonly plural: string;
      readonly name: string;
      readonly namespace: string | undefined;
    }
  | { readonly kind: "error"; readonly status: 404 | 405; readonly message: string };

export const CORE_GROUP = "core";

/** DNS-ish segment: groups, versions and plurals never hold anything else. */
const SEGMENT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Which page a request asks for; `base` is the prefix the dashboard is mounted under. */
export function parseRoute(method: string, rawUrl: string, base = ""): Route {
  if (method !== "GET" && method !== "HEAD")
    return {
      kind: "error",
      status: 405,
      message: `method ${method} is not allowed: the dashboard is read-only`,
    };
  let url: URL;
  try {
    // Prefixed, not resolved: `//host/x` stays a path, never a host.
    if (!rawUrl.startsWith("/")) throw new Error("not a path");
    url = new URL(`http://dashboard.invalid${rawUrl}`);
  } catch {
    return { kind: "error", status: 404, message: "not found" };
  }
  let path = url.pathname;
  if (base) {
    if (path === base) path = "/";
    else if (path.startsWith(`${base}/`)) path = path.slice(base.length);
    else return { kind: "error", status: 404, message: `${url.pathname} not found` };
  }
  if (path === "/" || path === "") return { kind: "overview" };
  if (path === "/healthz") return { kind: "healthz" };
  const parts = path.split("/").slice(1);
  if (parts[parts.length - 1] === "") parts.pop();
  const ns = url.searchParams.get("namespace") || undefined;
  if (parts[0] === "resources" && (parts.length === 4 || parts.length === 5)) {
    const [, g, version, plural, rawName] = parts as [string, string, string, string, string?];
    const group = g === CORE_GROUP ? "" : g;
    if ((group === "" || SEGMENT.test(group)) && SEGMENT.test(version) && SEGMENT.test(plural)) {
      if (rawName === undefined) return { kind: "list", group, version, plural, namespace: ns };
      const name = decode(rawName);
      if (name && name !== "." && name !== ".." && !name.includes("/"))
        return { kind: "object", group, version, plural, name, namespace: ns };
    }
  }
  return { kind: "error", status: 404, message: `${url.pathname} not found` };
}

/** The dashboard link to a list, or to one object of it. */
export function resourceHref(
  base: string,
  r: { group: string; version: string; plural: string },
  opts: { name?: string | undefined; namespace?: string | undefined } = {},
): string {
  const g = r.group === "" ? CORE_GROUP : r.group;
  let href = `${base}/resources/${encodeURIComponent(g)}/${encodeURIComponent(r.version)}/${encodeURIComponent(r.plural)}`;
  if (opts.name !== undefined) href += `/${encodeURIComponent(opts.name)}`;
  if (opts.namespace) href += `?namespace=${encodeURIComponent(opts.namespace)}`;
  return href;
}

/** The API path of a resource (collection, or one object). */
export function apiPath(
  r: { group: string; version: string; plural: string },
  opts: { namespace?: string | undefined; name?: string | undefined; subresource?: string } = {},
): string {
  const root = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : "";
  const name = opts.name !== undefined ? `/${encodeURIComponent(opts.name)}` : "";
  const sub = opts.name !== undefined && opts.subresource ? `/${opts.subresource}` : "";
  return `${root}${ns}/${r.plural}${name}${sub}`;
}
