/**
 * nodes/proxy, pods/proxy and services/proxy: resolves the target from the
 * objects (target.ts) and relays the request (forward.ts). A request for
 * the bare `.../proxy` is redirected to `.../proxy/`, as upstream does, so
 * relative links of the proxied page resolve under the proxy path.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Endpoints, Node, Pod, Service } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import type { KeyPairPem } from "../../pki/certs.js";
import { badRequest } from "../status.js";
import { forward } from "./forward.js";
import {
  nodeTarget,
  type ProxyTarget,
  parseProxyName,
  podTarget,
  proxyRemainder,
  serviceTarget,
} from "./target.js";

export const PROXYABLE = new Set(["nodes", "pods", "services"]);

export interface ProxyRequest {
  /** nodes, pods or services. */
  readonly resource: string;
  readonly namespace: string;
  /** The name segment: `[scheme:]name[:port]`. */
  readonly id: string;
  /** The request's raw path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly get: (resource: string, namespace: string, name: string) => Promise<KubeObject>;

  readonly client: KeyPairPem | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

export async function serveProxy(r: ProxyRequest): Promise<void> {
  const rest = proxyRemainder(r.path);
  const search = r.query.size ? `?${r.query}` : "";
  if (rest === "" && (r.req.method === "GET" || r.req.method === "HEAD")) {
    r.res.writeHead(301, { location: `${r.path}/${search}` });
    r.res.end();
    return;
  }
  const id = parseProxyName(r.id);
  let target: ProxyTarget;
  switch (r.resource) {
    case "nodes":
      target = nodeTarget(id, (await r.get("nodes", "", id.name)) as unknown as Node);
      break;
    case "pods":
      target = podTarget(id, (await r.get("pods", r.namespace, id.name)) as unknown as Pod);
      break;
    case "services": {
      const service = (await r.get("services", r.namespace, id.name)) as unknown as Service;
      const endpoints = (await r
        .get("endpoints", r.namespace, id.name)
        .catch((err: { code?: number }) => {
          if (err.code === 404) return undefined;
          throw err;
        })) as unknown as Endpoints | undefined;
      target = serviceTarget(id, service, endpoints);
      break;
    }
    default:
      throw badRequest(`${r.resource} cannot be proxied`);
  }
  await forward({
    target,
    path: `${rest || "/"}${search}`,
    req: r.req,
    res: r.res,
    ...(r.resource === "nodes" && r.client ? { client: r.client } : {}),
  });
}
