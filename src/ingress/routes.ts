/**
 * The route table (pure): the served Ingresses, their Services and
 * EndpointSlices folded into host → ordered path routes, rebuilt whole on
 * every change and swapped in atomically by the data plane.
 *
 * A request picks one host group: the precise host if some rule names it,
 * else the wildcard covering it, else the rules without a host. Within the
 * group the first route in precedence order that matches the path wins
 * (see paths.ts); with none, the default backend of the oldest Ingress in
 * that group that has one, else the oldest served Ingress's
 * spec.defaultBackend, else nothing (the controller's own 404). Where
 * Ingresses conflict (the same host, path and type), the oldest wins.
 */
import type { Ingress, IngressBackend } from "kubernetes-types/networking/v1.js";
import { type Backend, resolveBackend, type ServiceIndex } from "./backends.js";
import { isWildcard, normalizeHost, wildcardSuffixOf } from "./hosts.js";
import { comparePrecedence, type PathRule, type PathType, pathMatches } from "./paths.js";

export interface Route {
  readonly rule: PathRule;
  readonly backend: Backend;
  /** `namespace/name` of the Ingress the route came from. */
  readonly ingress: string;
}

export interface Fallback {
  readonly backend: Backend;
  readonly ingress: string;
}

export interface HostRoutes {
  /** In precedence order: the first that matches wins. */
  readonly routes: readonly Route[];
  readonly fallback?: Fallback;
}

export interface RouteTable {
  readonly precise: ReadonlyMap<string, HostRoutes>;
  /** Keyed by the suffix a wildcard covers: `*.foo.com` under `.foo.com`. */
  readonly wildcard: ReadonlyMap<string, HostRoutes>;
  readonly anyHost: HostRoutes;
  readonly fallback?: Fallback;
  /** Every backend the table can route to, by key. */
  readonly backends: ReadonlyMap<string, Backend>;
}

export interface RouteMatch extends Fallback {
  /** The path rule that matched; absent when a default backend answered. */
  readonly rule?: PathRule;
}

export const EMPTY_TABLE: RouteTable = {
  precise: new Map(),
  wildcard: new Map(),
  anyHost: { routes: [] },
  backends: new Map(),
};

const keyOf = (ing: Ingress) => `${ing.metadata?.namespace ?? ""}/${ing.metadata?.name ?? ""}`;

/** Oldest first (creationTimestamp, then namespace/name), the order conflicts resolve in. */
export function oldestFirst(ingresses: readonly Ingress[]): Ingress[] {
  return [...ingresses].sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? "";
    const tb = b.metadata?.creationTimestamp ?? "";
    if (ta !== tb) return ta < tb ? -1 : 1;
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

interface GroupDraft {
  routes: Route[];
  fallback?: Fallback;
}

/** Resolves backends once per build, however many rules share one. */
class BackendCache {
  readonly all = new Map<string, Backend>();
  constructor(private readonly index: ServiceIndex) {}

  resolve(namespace: string, backend: IngressBackend): Backend {
    const b = resolveBackend({ namespace, backend }, this.index);
    const known = this.all.get(b.key);
    if (known) return known;
    this.all.set(b.key, b);
    return b;
  }
}

function groupFor(drafts: Map<string, GroupDraft>, host: string): GroupDraft {
  let g = drafts.get(host);
  if (!g) {
    g = { routes: [] };
    drafts.set(host, g);
  }
  return g;
}

function addIngress(ing: Ingress, into: { drafts: Map<string, GroupDraft>; cache: BackendCache }) {
  const ns = ing.metadata?.namespace ?? "";
  const ingress = keyOf(ing);
  const def = ing.spec?.defaultBackend;
  const fallback = def ? { backend: into.cache.resolve(ns, def), ingress } : undefined;
  for (const rule of ing.spec?.rules ?? []) {
    // "" stands for the rules without a host.
    const group = groupFor(into.drafts, rule.host ? normalizeHost(rule.host) : "");
    if (fallback && !group.fallback) group.fallback = fallback;
    for (const p of rule.http?.paths ?? []) {
      const pathType = (p.pathType ?? "ImplementationSpecific") as PathType;
      group.routes.push({
        rule: { path: p.path || "/", pathType },
        backend: into.cache.resolve(ns, p.backend),
        ingress,
      });
    }
  }
  return fallback;
}

function freeze(g: GroupDraft | undefined): HostRoutes {
  // Array.prototype.sort is stable: equal rules keep the oldest Ingress first.
  const routes = [...(g?.routes ?? [])].sort((a, b) => comparePrecedence(a.rule, b.rule));
  return g?.fallback ? { routes, fallback: g.fallback } : { routes };
}

/** Builds the table from the Ingresses this controller serves and the Services they name. */
export function buildRouteTable(ingresses: readonly Ingress[], index: ServiceIndex): RouteTable {
  const drafts = new Map<string, GroupDraft>();
  const cache = new BackendCache(index);
  let fallback: Fallback | undefined;
  for (const ing of oldestFirst(ingresses)) {
    const own = addIngress(ing, { drafts, cache });
    fallback ??= own;
  }
  const precise = new Map<string, HostRoutes>();
  const wildcard = new Map<string, HostRoutes>();
  for (const [host, g] of drafts) {
    if (host === "") continue;
    if (isWildcard(host)) wildcard.set(host.slice(1), freeze(g));
    else precise.set(host, freeze(g));
  }
  const table = { precise, wildcard, anyHost: freeze(drafts.get("")), backends: cache.all };
  return fallback ? { ...table, fallback } : table;
}

/** The host group a request's host falls in. */
export function hostGroup(table: RouteTable, host: string): HostRoutes {
  const name = normalizeHost(host);
  const precise = table.precise.get(name);
  if (precise) return precise;
  const suffix = wildcardSuffixOf(name);
  const wild = suffix !== undefined ? table.wildcard.get(suffix) : undefined;
  return wild ?? table.anyHost;
}

/** Where a request for `host` (a Host header) and `path` (no query) goes, if anywhere. */
export function lookup(
  table: RouteTable,
  req: { host: string; path: string },
): RouteMatch | undefined {
  const group = hostGroup(table, req.host);
  for (const route of group.routes) {
    if (pathMatches(route.rule, req.path))
      return { backend: route.backend, ingress: route.ingress, rule: route.rule };
  }
  return group.fallback ?? table.fallback;
}
