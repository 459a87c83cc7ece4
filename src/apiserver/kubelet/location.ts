/**
 * Where the API server reaches a pod's kubelet, and which container a
 * pods/log request means (upstream pkg/registry/core/pod/strategy.go
 * LogLocation), pure.
 */
import { badRequest } from "../status.js";

interface PodLike {
  metadata?: { name?: string };
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
  };
}

interface NodeLike {
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

const ADDRESS_PREFERENCE = ["InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"];

export function kubeletLocation(nodeName: string, node: NodeLike): { host: string; port: number } {
  const addresses = node.status?.addresses ?? [];
  for (const type of ADDRESS_PREFERENCE) {
    const a = addresses.find((x) => x.type === type && x.address);
    if (a)
      return {
        host: a.address,
        port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || 10250,
      };
  }
  throw badRequest(`no preferred addresses found; known addresses: [] for node ${nodeName}`);
}

/** The container a log request names, defaulting when the pod has exactly one. */
export function logContainer(pod: PodLike, requested: string | null): string {
  const name = pod.metadata?.name ?? "";
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (containers.length === 1) return containers[0] as string;
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`;
    if (inits.length) message += ` or one of the init containers: [${inits.join(" ")}]`;
    if (ephemeral.length)
      message += ` or one of the ephemeral containers: [${ephemeral.join(" ")}]`;
    throw badRequest(message);
  }
  if (![...containers, ...inits, ...ephemeral].includes(requested))
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** The query the kubelet's /containerLogs understands, validated as upstream's PodLogOptions. */
export function kubeletLogQuery(q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of ["follow", "previous", "timestamps", "insecureSkipTLSVerifyBackend"]) {
    const v = q.get(name);
    if (v === null) continue;
    if (v !== "true" && v !== "false")
      throw badRequest(`invalid ${name} ${JSON.stringify(v)}: want true or false`);
    if (name !== "insecureSkipTLSVerifyBackend" && v === "true") out.set(name, "true");
  }
  for (const name of ["tailLines", "limitBytes", "sinceSeconds"]) {
    const v = q.get(name);
    if (v === null) continue;
    const n = Number(v);
    const min = name === "tailLines" ? 0 : 1;
    if (!Number.isInteger(n) || n < min)
      throw badRequest(`invalid ${name} ${JSON.stringify(v)}: must be an integer >= ${min}`);
    out.set(name, String(n));
  }
  const sinceTime = q.get("sinceTime");
  if (sinceTime !== null) {
    if (Number.isNaN(Date.parse(sinceTime)))
      throw badRequest(`invalid sinceTime ${JSON.stringify(sinceTime)}`);
    if (out.has("sinceSeconds"))
      throw badRequest("at most one of `sinceTime` or `sinceSeconds` may be specified");
    out.set("sinceTime", sinceTime);
  }
  return out;
}
