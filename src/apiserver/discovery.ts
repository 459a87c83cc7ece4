/**
 * Discovery documents (legacy and aggregated) built from resource
 * descriptors. Pure: the server caches what these return and rebuilds when
 * the set of resources changes (custom resources).
 */
import { apiVersionOf, preferredVersions, type ResourceDescriptor } from "../api/resources.js";

interface SubresourceInfo {
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly verbs: readonly string[];
}

/** What each subresource answers with and which verbs it takes (upstream's declarations). */
function subresourceInfo(d: ResourceDescriptor, sub: string): SubresourceInfo {
  switch (sub) {
    case "status":
      return { kind: d.kind, verbs: ["get", "patch", "update"] };
    case "scale":
      return {
        kind: "Scale",
        group: "autoscaling",
        version: "v1",
        verbs: ["get", "patch", "update"],
      };
    case "binding":
      return { kind: "Binding", verbs: ["create"] };
    case "eviction":
      return { kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] };
    case "log":
      return { kind: "Pod", verbs: ["get"] };
    case "exec":
      return { kind: "PodExecOptions", verbs: ["create", "get"] };
    case "attach":
      return { kind: "PodAttachOptions", verbs: ["create", "get"] };
    case "portforward":
      return { kind: "PodPortForwardOptions", verbs: ["create", "get"] };
    case "proxy":
      return {
        kind: `${d.kind}ProxyOptions`,
        verbs: ["create", "delete", "get", "patch", "update"],
      };
    case "ephemeralcontainers":
      return { kind: "Pod", verbs: ["get", "patch", "update"] };
    case "finalize":
      return { kind: "Namespace", verbs: ["update"] };
    case "token":
      return {
        kind: "TokenRequest",
        group: "authentication.k8s.io",
        version: "v1",
        verbs: ["create"],
      };
    default:
      return { kind: d.kind, verbs: ["get"] };
  }
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** Groups in first-seen order, versions in first-seen order (the first is preferred). */
function groupsOf(resources: readonly ResourceDescriptor[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const d of resources) {
    const versions = groups.get(d.group) ?? [];
    if (!versions.includes(d.version)) versions.push(d.version);
    groups.set(d.group, versions);
  }
  return groups;
}

export function apiGroupList(resources: readonly ResourceDescriptor[]): object {
  const preferred = preferredVersions(resources);
  const groups = [...groupsOf(resources)]
    .filter(([group]) => group !== "")
    .map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: {
        groupVersion: `${name}/${preferred.get(name)}`,
        version: preferred.get(name),
      },
    }));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(
  resources: readonly ResourceDescriptor[],
  group: string,
): object | undefined {
  const list = apiGroupList(resources) as { groups: Array<{ name: string }> };
  const g = list.groups.find((x) => x.name === group);
  return g ? { kind: "APIGroup", apiVersion: "v1", ...g } : undefined;
}

export function apiResourceList(
  resources: readonly ResourceDescriptor[],
  group: string,
  version: string,
): object | undefined {
  const inGv = resources.filter((d) => d.group === group && d.version === version);
  if (inGv.length === 0) return undefined;
  const out: object[] = [];
  for (const d of inGv) {
    const main: Record<string, unknown> = {
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
    };
    if (d.shortNames.length > 0) main.shortNames = d.shortNames;
    if (d.categories.length > 0) main.categories = d.categories;
    out.push(main);
    for (const sub of d.subresources) {
      const info = subresourceInfo(d, sub);
      const entry: Record<string, unknown> = {
        name: `${d.plural}/${sub}`,
        singularName: "",
        namespaced: d.namespaced,
        kind: info.kind,
        verbs: info.verbs,
      };
      if (info.group !== undefined) entry.group = info.group;
      if (info.version !== undefined) entry.version = info.version;
      out.push(entry);
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources: out,
  };
}

/**
 * The aggregated discovery document (apidiscovery.k8s.io) for either the
 * core group (`legacy: true`, served at /api) or every named group (/apis).
 */
export function aggregatedDiscovery(
  resources: readonly ResourceDescriptor[],
  opts: { legacy: boolean; version: "v2" | "v2beta1" },
): object {
  const items = [...groupsOf(resources)]
    .filter(([group]) => (opts.legacy ? group === "" : group !== ""))
    .map(([group, versions]) => ({
      metadata:
        group === "" ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources: resources
          .filter((d) => d.group === group && d.version === version)
          .map((d) => {
            const res: Record<string, unknown> = {
              resource: d.plural,
              responseKind: { group, version, kind: d.kind },
              scope: d.namespaced ? "Namespaced" : "Cluster",
              singularResource: d.singular,
              verbs: d.verbs,
            };
            if (d.shortNames.length > 0) res.shortNames = d.shortNames;
            if (d.categories.length > 0) res.categories = d.categories;
            if (d.subresources.length > 0) {
              res.subresources = d.subresources.map((sub) => {
                const info = subresourceInfo(d, sub);
                return {
                  subresource: sub,
                  responseKind: {
                    group: info.group ?? group,
                    version: info.version ?? version,
                    kind: info.kind,
                  },
                  verbs: info.verbs,
                };
              });
            }
            return res;
          }),
        freshness: "Current",
      })),
    }));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${opts.version}`,
    metadata: {},
    items,
  };
}
