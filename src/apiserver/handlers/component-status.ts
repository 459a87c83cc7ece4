/**
 * v1 ComponentStatus (`kubectl get componentstatuses`, `cs`): deprecated
 * upstream since 1.19 but still served, read-only, computed on each
 * request. Upstream probes the scheduler's and controller manager's
 * /healthz ports; k8ts's components have no ports of their own, so their
 * health is their leader Lease: held, and renewed within its duration.
 * `etcd-0` is the store answering, whichever store it is.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import type { Lease } from "../../client/leaderelection/leader-election.js";
import type { ApiHooks } from "../hooks.js";
import { negotiateObject } from "../http/negotiate.js";
import type { ResourceRequest } from "../http/request-info.js";
import { writeObject } from "../http/respond.js";
import { methodNotAllowed, notAcceptable, notFound, notFoundPath } from "../status.js";
import { includeObjectParam } from "./render.js";

export const COMPONENT_STATUSES: ResourceDescriptor = {
  group: "",
  version: "v1",
  kind: "ComponentStatus",
  plural: "componentstatuses",
  singular: "componentstatus",
  shortNames: ["cs"],
  categories: [],
  namespaced: false,
  verbs: ["get", "list"],
  subresources: [],
};

/** The warning upstream sends with every ComponentStatus answer (kubectl prints it). */
export const COMPONENT_STATUS_WARNING = "v1 ComponentStatus is deprecated in v1.19+";

/** The components whose kube-system leader Lease stands for their health. */
export const LEADER_LEASES = [
  { component: "scheduler", lease: "kube-scheduler" },
  { component: "controller-manager", lease: "kube-controller-manager" },
] as const;

export interface Health {
  readonly healthy: boolean;
  readonly message: string;
}

/** A component is healthy while someone holds its Lease and renewed it within the lease duration. */
export function leaseHealth(name: string, lease: Lease | undefined, now: number): Health {
  const ref = `Lease kube-system/${name}`;
  if (!lease) return { healthy: false, message: `no leader: ${ref} does not exist` };
  const spec = lease.spec ?? {};
  if (!spec.holderIdentity) return { healthy: false, message: `no leader: ${ref} has no holder` };
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? "");
  const expires = renewed + (spec.leaseDurationSeconds ?? 0) * 1000;
  if (Number.isNaN(renewed) || expires <= now)
    return {
      healthy: false,
      message: `leader ${spec.holderIdentity} has not renewed ${ref} since ${spec.renewTime ?? "ever"}`,
    };
  return { healthy: true, message: "ok" };
}

/** A ComponentStatus object as upstream builds it: one Healthy condition. */
export function componentStatus(name: string, health: Health): KubeObject {
  return {
    kind: "ComponentStatus",
    apiVersion: "v1",
    metadata: { name },
    conditions: [
      { type: "Healthy", status: health.healthy ? "True" : "False", message: health.message },
    ],
  };
}

export interface ComponentStatusDeps {
  /** The kube-system Lease of that name, or undefined when there is none. */
  readonly lease: (name: string) => Promise<Lease | undefined>;
  /** Resolves while the store answers. */
  readonly storePing: () => Promise<unknown>;
  readonly hooks: ApiHooks;
  readonly now: () => number;
}

export function isComponentStatusRequest(info: ResourceRequest): boolean {
  return info.group === "" && info.version === "v1" && info.resource === "componentstatuses";
}

async function statuses(deps: ComponentStatusDeps): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let storeError: string | undefined;
  try {
    await deps.storePing();
  } catch (err) {
    storeError = err instanceof Error ? err.message : String(err);
  }
  for (const { component, lease } of LEADER_LEASES) {
    const health = storeError
      ? { healthy: false, message: `cannot read Lease kube-system/${lease}: ${storeError}` }
      : leaseHealth(lease, await deps.lease(lease), deps.now());
    out.push(componentStatus(component, health));
  }
  out.push(
    componentStatus(
      "etcd-0",
      storeError ? { healthy: false, message: storeError } : { healthy: true, message: "ok" },
    ),
  );
  return out;
}

/** GET /api/v1/componentstatuses[/name]: read-only, as JSON, YAML or a Table. */
export async function serveComponentStatuses(
  deps: ComponentStatusDeps,
  info: ResourceRequest,
  http: { req: IncomingMessage; res: ServerResponse; query: URLSearchParams },
): Promise<void> {
  if (info.namespace !== "" || info.subresource !== "") throw notFoundPath();
  if (info.verb !== "get" && info.verb !== "list") throw methodNotAllowed();
  const format = negotiateObject(http.req.headers.accept);
  if (!format || format.kind === "partial-metadata")
    throw notAcceptable("only application/json, application/yaml and Tables are served");
  const all = await statuses(deps);
  const items = info.verb === "get" ? all.filter((o) => o.metadata?.name === info.name) : all;
  if (info.verb === "get" && items.length === 0)
    throw notFound({ group: "", resource: "componentstatuses" }, info.name);
  const warnings = [COMPONENT_STATUS_WARNING];
  if (format.kind === "table") {
    const table = deps.hooks.buildTable({
      groupResource: "componentstatuses",
      objects: items,
      now: new Date(deps.now()),
      includeObject: includeObjectParam(http.query),
      listMeta: {},
    });
    return writeObject(http.res, 200, table, { warnings });
  }
  const yaml = format.encoding === "yaml";
  if (info.verb === "get") return writeObject(http.res, 200, items[0], { yaml, warnings });
  const list = { kind: "ComponentStatusList", apiVersion: "v1", metadata: {}, items };
  return writeObject(http.res, 200, list, { yaml, warnings });
}
