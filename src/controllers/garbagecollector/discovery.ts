/**
 * Discovery over the REST client: /api and /apis name the group versions,
 * each /api/v1 or /apis/<group>/<version> lists its resources. A group
 * version that fails is reported, the rest are still returned (upstream's
 * ErrGroupDiscoveryFailed): controllers act on what they could discover.
 */
import type { RestClient } from "../../client/rest/client.js";
import { type ApiResource, type ApiResourceEntry, resourcesOf } from "./api-resources.js";

/** Some group versions could not be listed; `resources` holds the ones that could. */
export class GroupDiscoveryFailedError extends Error {
  constructor(
    /** groupVersion → why it failed. */
    readonly groups: ReadonlyMap<string, string>,
    options?: ErrorOptions,
  ) {
    super(
      `unable to retrieve the complete list of server APIs: ${[...groups]
        .map(([gv, err]) => `${gv}: ${err}`)
        .join(", ")}`,
      options,
    );
    this.name = "GroupDiscoveryFailedError";
  }
}

export interface DiscoveryResult {
  readonly resources: ApiResource[];
  /** Set when some group versions failed. */
  readonly error?: GroupDiscoveryFailedError;
}

interface GroupList {
  groups?: Array<{
    name?: string;
    versions?: Array<{ version?: string }>;
    preferredVersion?: { version?: string };
  }>;
}

/** Every resource of every served group version; throws only if /api or /apis themselves fail. */
export async function discoverResources(rest: RestClient): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([
    rest.request<{ versions?: string[] }>({ method: "GET", path: "/api" }),
    rest.request<GroupList>({ method: "GET", path: "/apis" }),
  ]);
  const targets: Array<{ group: string; version: string; preferred: boolean; path: string }> = [];
  (core.versions ?? []).forEach((version, i) => {
    targets.push({ group: "", version, preferred: i === 0, path: `/api/${version}` });
  });
  for (const g of groups.groups ?? []) {
    const group = g.name ?? "";
    const versions = (g.versions ?? []).map((v) => v.version ?? "").filter(Boolean);
    const preferred = g.preferredVersion?.version ?? versions[0];
    for (const version of versions) {
      targets.push({
        group,
        version,
        preferred: version === preferred,
        path: `/apis/${group}/${version}`,
      });
    }
  }
  const failed = new Map<string, string>();
  const lists = await Promise.all(
    targets.map(async (t) => {
      try {
        const list = await rest.request<{ resources?: ApiResourceEntry[] }>({
          method: "GET",
          path: t.path,
        });
        return resourcesOf(list.resources ?? [], t);
      } catch (err) {
        failed.set(
          t.path.replace(/^\/apis?\//, ""),
          err instanceof Error ? err.message : String(err),
        );
        return [];
      }
    }),
  );
  return {
    resources: lists.flat(),
    ...(failed.size > 0 ? { error: new GroupDiscoveryFailedError(failed) } : {}),
  };
}
