/**
 * What the dashboard reads from the API server through the project's
 * RestClient: discovery (cached briefly), Tables (the API server's own
 * columns, as kubectl gets them), objects, events and pod logs.
 */
import type { RestClient } from "../client/rest/client.js";
import { apiPath } from "./routes.js";

export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io";
const DISCOVERY_TTL_MS = 30_000;

export interface DiscoveredResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface TableColumn {
  name: string;
  type?: string;
  priority?: number;
}

export interface ApiTable {
  columnDefinitions?: TableColumn[] | null;
  rows?: Array<{
    cells?: unknown[];
    object?: { metadata?: { name?: string; namespace?: string } };
  }>;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

export class DashboardApi {
  private discovery: { at: number; value: Promise<DiscoveredResource[]> } | undefined;

  constructor(readonly rest: RestClient) {}

  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.rest.request<T>({ method: "GET", path, ...(query ? { query } : {}) });
  }

  /** Every listable resource of the preferred version of every group, core first. */
  resources(): Promise<DiscoveredResource[]> {
    const now = Date.now();
    if (!this.discovery || now - this.discovery.at > DISCOVERY_TTL_MS) {
      const value = this.discover();
      this.discovery = { at: now, value };
      value.catch(() => {
        if (this.discovery?.value === value) this.discovery = undefined;
      });
    }
    return this.discovery.value;
  }

  private async discover(): Promise<DiscoveredResource[]> {
    const [core, groups] = await Promise.all([
      this.get<{ versions?: string[] }>("/api"),
      this.get<{
        groups?: Array<{
          name: string;
          preferredVersion?: { version: string };
          versions?: Array<{ version: string }>;
        }>;
      }>("/apis"),
    ]);
    const gvs: Array<{ group: string; version: string }> = [];
    for (const v of core.versions ?? []) gvs.push({ group: "", version: v });
    for (const g of groups.groups ?? []) {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (version) gvs.push({ group: g.name, version });
    }
    const lists = await Promise.all(
      gvs.map(async (gv) => {
        const path = gv.group === "" ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
        try {
          const list = await this.get<{ resources?: ApiResource[] }>(path);
          return (list.resources ?? [])
            .filter((r) => !r.name.includes("/") && (r.verbs ?? []).includes("list"))
            .map((r) => ({
              group: gv.group,
              version: gv.version,
              plural: r.name,
              kind: r.kind,
              namespaced: r.namespaced,
            }));
        } catch {
          // One broken group (an aggregated API that is down) does not hide the rest.
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** The resource a dashboard path names, if discovery lists it (any version of its group). */
  async find(
    group: string,
    version: string,
    plural: string,
  ): Promise<DiscoveredResource | undefined> {
    const known = await this.resources();
    const hit = known.find(
      (r) => r.group === group && r.version === version && r.plural === plural,
    );
    if (hit) return hit;
    // A non-preferred version: ask that version's discovery directly.
    const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
    try {
      const list = await this.get<{ resources?: ApiResource[] }>(path);
      const r = list.resources?.find((x) => x.name === plural && (x.verbs ?? []).includes("list"));
      return r ? { group, version, plural, kind: r.kind, namespaced: r.namespaced } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The API server's own Table for a list (the columns kubectl prints). */
  async table(r: DiscoveredResource, namespace: string | undefined): Promise<ApiTable> {
    const path = apiPath(r, { namespace: r.namespaced ? namespace : undefined });
    return this.rest.request<ApiTable>({ method: "GET", path, accept: TABLE_ACCEPT });
  }

  /** The last lines of one container's log. */
  podLog(namespace: string, pod: string, container: string, tailLines: number): Promise<string> {
    const path = apiPath(
      { group: "", version: "v1", plural: "pods" },
      { namespace, name: pod, subresource: "log" },
    );
    return this.rest.requestText({ method: "GET", path, query: { container, tailLines } });
  }
}
