/**
 * Ingress path matching (pure), as the Ingress API documents it:
 *
 * - Exact: the request path equals the rule path, case-sensitively
 *   (`/foo` does not match `/foo/`).
 * - Prefix: compared element by element on `/`; a rule matches when its
 *   elements are a prefix of the request's elements, so `/foo` matches
 *   `/foo`, `/foo/` and `/foo/bar` but not `/foobar`, and a trailing slash
 *   on either side is ignored. `/` matches everything.
 * - ImplementationSpecific: here the same as Prefix (an empty path is `/`).
 *
 * When several paths match, the longest one wins; between equally long
 * ones Exact beats Prefix.
 */

export type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

export interface PathRule {
  readonly path: string;
  readonly pathType: PathType;
}

/** Path elements, ignoring empty ones (leading, trailing and doubled slashes). */
function elements(path: string): string[] {
  return path.split("/").filter((e) => e !== "");
}

/** The path part of a request target: no query, no fragment, absolute-form reduced to its path. */
export function requestPath(target: string): string {
  let t = target;
  if (!t.startsWith("/")) {
    // absolute-form (`http://host/path`), sent to proxies; the path starts after the authority.
    const scheme = t.indexOf("://");
    const slash = scheme >= 0 ? t.indexOf("/", scheme + 3) : -1;
    t = slash >= 0 ? t.slice(slash) : "/";
  }
  const cut = t.search(/[?#]/);
  return cut >= 0 ? t.slice(0, cut) : t;
}

/** Whether `rule` matches the request path `path` (no query string). */
export function pathMatches(rule: PathRule, path: string): boolean {
  if (rule.pathType === "Exact") return rule.path === path;
  const want = elements(rule.path);
  const got = elements(path);
  if (want.length > got.length) return false;
  return want.every((e, i) => got[i] === e);
}

/**
 * How long a rule's path counts as when ranking matches: a Prefix rule's
 * trailing slash is ignored (`/foo/` is as long as `/foo`), an Exact
 * rule's path counts as written.
 */
export function matchLength(rule: PathRule): number {
  if (rule.pathType === "Exact") return rule.path.length;
  const trimmed = rule.path.replace(/\/+$/, "");
  return trimmed.length;
}

const TYPE_RANK: Record<PathType, number> = { Exact: 0, Prefix: 1, ImplementationSpecific: 2 };

/**
 * Orders rules so that the first one matching a request is the one
 * upstream's precedence picks: longer paths first, then Exact before
 * Prefix (and Prefix before ImplementationSpecific). Equal rules keep
 * their input order, so callers list older Ingresses first.
 */
export function comparePrecedence(a: PathRule, b: PathRule): number {
  const byLength = matchLength(b) - matchLength(a);
  if (byLength !== 0) return byLength;
  return TYPE_RANK[a.pathType] - TYPE_RANK[b.pathType];
}
