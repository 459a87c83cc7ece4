/**
 * Where the proxy subresources lead (upstream's ResourceLocation of nodes,
 * pods and services), pure: `nodes/{[scheme:]name[:port]}/proxy/...` to the
 * node's kubelet, `pods/{[scheme:]name[:port]}/proxy/...` to the pod's IP,
 * `services/{[scheme:]name[:port]}/proxy/...` to one ready endpoint of the
 * Service's port.
 */
import type { Endpoints, Node, Pod, Service } from "kubernetes-types/core/v1.js";
import { kubeletLocation } from "../kubelet/location.js";
import { badRequest, serviceUnavailable } from "../status.js";

export interface ProxyName {
  readonly scheme: "" | "http" | "https";
  readonly name: string;
  readonly port: string;
}

export interface ProxyTarget {
  readonly scheme: "http" | "https";
  readonly host: string;
  /** Empty: the scheme's default port. */
  readonly port: string;
}

/** `name`, `name:port`, `scheme:name:port` or `scheme:name:` (upstream's SplitSchemeNamePort). */
export function parseProxyName(id: string): ProxyName {
  const parts = id.split(":");
  let scheme = "";
  let name: string;
  let port = "";
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else throw badRequest(`invalid request ${JSON.stringify(id)}`);
  if (name === "" || (scheme !== "" && scheme !== "http" && scheme !== "https"))
    throw badRequest(`invalid request ${JSON.stringify(id)}`);
  return { scheme: scheme as ProxyName["scheme"], name, port };
}

/** `/api/v1/nodes/n/proxy/stats/summary` → `/stats/summary`; `.../proxy` → "" (to be redirected). */
export function proxyRemainder(path: string): string {
  const m = /^.*?\/(?:nodes|pods|services)\/[^/]+\/proxy(\/.*)?$/.exec(path);
  if (!m) throw badRequest(`not a proxy path: ${path}`);
  return m[1] ?? "";
}

export function nodeTarget(id: ProxyName, node: Node): ProxyTarget {
  const { host, port } = kubeletLocation(id.name, node as never);
  return { scheme: id.scheme || "https", host, port: id.port || String(port) };
}

export function podTarget(id: ProxyName, pod: Pod): ProxyTarget {
  const ip = pod.status?.podIP;
  if (!ip) throw badRequest(`address not allowed: pod ${id.name} has no IP yet`);
  // No port given: the first declared container port, else the scheme's default.
  let port = id.port;
  if (port === "") {
    const first = (pod.spec?.containers ?? []).find((c) => (c.ports ?? []).length > 0);
    if (first?.ports?.[0]) port = String(first.ports[0].containerPort);
  }
  return { scheme: id.scheme || "http", host: ip, port };
}

/**
 * One ready address of the Service's port (named by port name or number;
 * with no port given, the Service's only port), chosen by `pick`.
 */
export function serviceTarget(
  id: ProxyName,
  service: Service,
  endpoints: Endpoints | undefined,
  pick: (n: number) => number = (n) => Math.floor(Math.random() * n),
): ProxyTarget {
  const ports = service.spec?.ports ?? [];
  const svcPort =
    id.port === ""
      ? ports.length === 1
        ? ports[0]
        : undefined
      : ports.find((p) => p.name === id.port || String(p.port) === id.port);
  if (!svcPort) {
    throw id.port === ""
      ? badRequest(`service ${id.name} has ${ports.length} ports: name one of them`)
      : serviceUnavailable(
          `no service port ${JSON.stringify(id.port)} found for service "${id.name}"`,
        );
  }
  const candidates: { ip: string; port: number }[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const epPort = (subset.ports ?? []).find((p) => (p.name ?? "") === (svcPort.name ?? ""));
    if (!epPort) continue;
    for (const a of subset.addresses ?? []) candidates.push({ ip: a.ip, port: epPort.port });
  }
  const chosen = candidates[pick(candidates.length)];
  if (!chosen) throw serviceUnavailable(`no endpoints available for service "${id.name}"`);
  return { scheme: id.scheme || "http", host: chosen.ip, port: String(chosen.port) };
}
