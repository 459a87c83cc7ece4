/**
 * GET /apis/metrics.k8s.io/v1beta1/{nodes,pods,namespaces/<ns>/pods}[/name]:
 * the NodeMetrics and PodMetrics of the nodes and pods that exist (read
 * from the store for their names and labels, as metrics-server reads its
 * informers) and have usage stored. Objects without usage yet are left out
 * of lists and are 404 on get.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject } from "../../api/strategy.js";
import type { Store } from "../../storage/types.js";
import { filterParams } from "../handlers/params.js";
import { includeObjectParam } from "../handlers/render.js";
import type { ApiHooks } from "../hooks.js";
import { negotiateObject } from "../http/negotiate.js";
import type { ResourceRequest } from "../http/request-info.js";
import { writeObject } from "../http/respond.js";
import { decodeValue } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import { badRequest, methodNotAllowed, notAcceptable, notFound, notFoundPath } from "../status.js";
import {
  type MetricsRow,
  metricsList,
  metricsTable,
  nodeMetrics,
  podMetrics,
  rowUsage,
} from "./objects.js";
import { METRICS_GROUP, METRICS_VERSION } from "./resources.js";
import type { MetricsStorage } from "./storage.js";

export interface MetricsHandlerDeps {
  readonly store: Store;
  readonly storage: MetricsStorage;
  readonly hooks: ApiHooks;
  readonly now: () => number;
}

interface Http {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly query: URLSearchParams;
}

const NODE_METRICS = { group: METRICS_GROUP, resource: "nodemetrics" };
const POD_METRICS = { group: METRICS_GROUP, resource: "podmetrics" };

async function readAll(store: Store, prefix: string): Promise<KubeObject[]> {
  const { items } = await store.list(prefix);
  return items.map((kv) => decodeValue(kv.value));
}

/** Builds the rows (object + usage) for the nodes or pods given; those without usage drop out. */
function rowsFor(
  deps: MetricsHandlerDeps,
  want: { kind: "nodes" | "pods"; objects: KubeObject[] },
) {
  const { kind, objects } = want;
  const now = deps.now();
  const rows: MetricsRow[] = [];
  for (const o of objects) {
    const name = o.metadata?.name ?? "";
    const namespace = o.metadata?.namespace ?? "";
    const labels = o.metadata?.labels ?? {};
    if (kind === "nodes") {
      const usage = deps.storage.nodeUsage(name);
      if (usage)
        rows.push({
          name,
          object: nodeMetrics({ name, labels }, { usage, now }),
          ...rowUsage(usage),
        });
    } else {
      const usage = deps.storage.podUsage(namespace, name);
      if (usage)
        rows.push({
          name,
          object: podMetrics({ name, namespace, labels }, { usage, now }),
          ...rowUsage(usage),
        });
    }
  }
  return rows;
}

export async function serveMetrics(
  deps: MetricsHandlerDeps,
  info: ResourceRequest,
  http: Http,
): Promise<void> {
  const kind = info.resource;
  if (info.version !== METRICS_VERSION) throw notFoundPath();
  if ((kind !== "nodes" && kind !== "pods") || info.subresource !== "") throw notFoundPath();
  if (kind === "nodes" && info.namespace !== "") throw notFoundPath();
  if (info.verb !== "get" && info.verb !== "list") throw methodNotAllowed();
  const format = negotiateObject(http.req.headers.accept);
  if (!format || format.kind === "partial-metadata")
    throw notAcceptable("only application/json, application/yaml and Tables are served");

  const resource = kind === "nodes" ? NODE_METRICS : POD_METRICS;
  const prefix = prefixFor({ group: "", plural: kind }, info.namespace || undefined);
  let objects: KubeObject[];
  if (info.verb === "get") {
    const kv = await deps.store.get(`${prefix}${info.name}`);
    objects = kv ? [decodeValue(kv.value)] : [];
  } else {
    const filter = filterParams(deps.hooks, http.query);
    const allowed = kind === "nodes" ? ["metadata.name"] : ["metadata.name", "metadata.namespace"];
    for (const f of filter.fieldNames)
      if (!allowed.includes(f)) throw badRequest(`field label not supported: ${f}`);
    objects = (await readAll(deps.store, prefix)).filter((o) => {
      const m = o.metadata ?? {};
      const fields = { "metadata.name": m.name ?? "", "metadata.namespace": m.namespace ?? "" };
      return (
        (filter.label.empty() || filter.label.matches(m.labels ?? {})) &&
        (filter.field.empty() || filter.field.matches(fields))
      );
    });
  }
  const rows = rowsFor(deps, { kind, objects });
  if (info.verb === "get" && rows.length === 0) {
    // metrics-server names a pod by namespace/name in this message.
    throw notFound(resource, kind === "pods" ? `${info.namespace}/${info.name}` : info.name);
  }
  if (format.kind === "table") {
    const table = metricsTable(rows, {
      version: format.version,
      includeObject: includeObjectParam(http.query),
    });
    return writeObject(http.res, 200, table);
  }
  const yaml = format.encoding === "yaml";
  if (info.verb === "get") return writeObject(http.res, 200, rows[0]?.object, { yaml });
  const list = metricsList(
    kind === "nodes" ? "NodeMetrics" : "PodMetrics",
    rows.map((r) => r.object),
  );
  return writeObject(http.res, 200, list, { yaml });
}
