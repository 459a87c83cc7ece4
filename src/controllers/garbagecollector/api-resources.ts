/**
 * What discovery says the server serves, as data: one entry per resource
 * (subresources left out) in every served group version, and a mapper
 * from an ownerReference's apiVersion/kind to its resource. Pure: the
 * fetching is in discovery.ts.
 */
import type { ResourceRef } from "../../client/rest/resource.js";

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  /** Plural name, as in URLs. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** Served in its group's preferred version: the version to list and watch. */
  readonly preferred: boolean;
}

/** An entry of an APIResourceList as the server sends it. */
export interface ApiResourceEntry {
  readonly name?: string;
  readonly kind?: string;
  readonly namespaced?: boolean;
  readonly verbs?: readonly string[];
}

/** The resources of one group version's APIResourceList, subresources (`pods/status`) left out. */
export function resourcesOf(
  entries: readonly ApiResourceEntry[],
  gv: { group: string; version: string; preferred: boolean },
): ApiResource[] {
  return entries
    .filter((e) => e.name && !e.name.includes("/") && e.kind)
    .map((e) => ({
      group: gv.group,
      version: gv.version,
      resource: e.name ?? "",
      kind: e.kind ?? "",
      namespaced: e.namespaced === true,
      verbs: e.verbs ?? [],
      preferred: gv.preferred,
    }));
}

/** `apps/v1` → apps, v1; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}

export function refOf(r: ApiResource): ResourceRef {
  return { group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced };
}

/** `group/version/resource`, the identity of a resource type. */
export function resourceId(r: { group: string; version: string; resource: string }): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

/** `pods` for the core group, `deployments.apps` otherwise (upstream's GroupResource.String). */
export function groupResourceName(r: { group: string; resource: string }): string {
  return r.group === "" ? r.resource : `${r.resource}.${r.group}`;
}

const supportsAll = (r: ApiResource, verbs: readonly string[]) =>
  verbs.every((v) => r.verbs.includes(v));

/**
 * Resources the garbage collector never watches: events are many, short
 * lived and never owners worth tracking (upstream's DefaultIgnoredResources).
 */
const GC_IGNORED = new Set(["/events", "events.k8s.io/events"]);

/**
 * A discovery snapshot with the lookups controllers need: kind → resource
 * (upstream's RESTMapper) and the resources to watch or empty.
 */
export class RestMapper {
  private readonly byKind = new Map<string, ApiResource>();

  constructor(readonly resources: readonly ApiResource[]) {
    for (const r of resources) {
      const key = `${apiVersionOf(r)}|${r.kind}`;
      // Two resources of one kind in a version (rare): prefer the one with more verbs.
      const seen = this.byKind.get(key);
      if (!seen || r.verbs.length > seen.verbs.length) this.byKind.set(key, r);
    }
  }

  /** The resource an ownerReference's apiVersion and kind name, if served. */
  resourceFor(apiVersion: string, kind: string): ApiResource | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }

  /** Preferred-version resources that can be listed, watched and deleted (what the GC watches). */
  garbageCollectable(): ApiResource[] {
    return this.resources.filter(
      (r) =>
        r.preferred &&
        supportsAll(r, ["delete", "list", "watch"]) &&
        !GC_IGNORED.has(`${r.group}/${r.resource}`),
    );
  }

  /** Preferred-version namespaced resources that can be deleted (what a namespace deletion empties). */
  namespacedDeletable(): ApiResource[] {
    return this.resources.filter((r) => r.preferred && r.namespaced && r.verbs.includes("delete"));
  }
}
