/**
 * Service link variables (upstream pkg/kubelet/envvars and the kubelet's
 * getServiceEnvVarMap): which services a pod sees, and the Docker-link
 * style variables each one contributes.
 */
import type { Service, ServicePort } from "kubernetes-types/core/v1.js";
import type { KeyValue } from "../../runtime/cri.js";

/** Services in "default" with these names are visible to every pod. */
const MASTER_SERVICES = new Set(["kubernetes"]);

/** A service with a ClusterIP that is neither empty nor "None". */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP;
  return ip !== undefined && ip !== "" && ip !== "None";
}

/**
 * The services whose variables a pod in `namespace` gets: the master services
 * of "default" always, the namespace's own when service links are enabled (a
 * same-named service of the namespace replaces a master one). Sorted by name.
 */
export function visibleServices(
  services: readonly Service[],
  namespace: string,
  enableServiceLinks: boolean,
): Service[] {
  const byName = new Map<string, Service>();
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const name = service.metadata?.name ?? "";
    const ns = service.metadata?.namespace ?? namespace;
    if (ns === "default" && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, service);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, service);
    }
  }
  return [...byName.keys()].sort().map((name) => byName.get(name) as Service);
}

/** `my-svc.v2` → `MY_SVC_V2`; a leading digit gets a `_` in front. */
export function envVariableName(name: string): string {
  const upper = name.replaceAll(".", "_").replaceAll("-", "_").toUpperCase();
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}

function linkVariables(prefix: string, ip: string, ports: readonly ServicePort[]): KeyValue[] {
  const out: KeyValue[] = [];
  ports.forEach((sp, i) => {
    const protocol = sp.protocol !== undefined && sp.protocol !== "" ? sp.protocol : "TCP";
    const lower = protocol.toLowerCase();
    const url = `${lower}://${ip}:${sp.port}`;
    if (i === 0) out.push({ key: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push(
      { key: portPrefix, value: url },
      { key: `${portPrefix}_PROTO`, value: lower },
      { key: `${portPrefix}_PORT`, value: String(sp.port) },
      { key: `${portPrefix}_ADDR`, value: ip },
    );
  });
  return out;
}

/**
 * The variables of each service with a cluster IP, in the given order:
 * `FOO_SERVICE_HOST`, `FOO_SERVICE_PORT` (first port), `FOO_SERVICE_PORT_<NAME>`
 * for each named port, then `FOO_PORT` and `FOO_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`.
 */
export function serviceEnv(services: readonly Service[]): KeyValue[] {
  const out: KeyValue[] = [];
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const ip = service.spec?.clusterIP as string;
    const ports = service.spec?.ports ?? [];
    const prefix = envVariableName(service.metadata?.name ?? "");
    out.push({ key: `${prefix}_SERVICE_HOST`, value: ip });
    const first = ports[0];
    if (first !== undefined) out.push({ key: `${prefix}_SERVICE_PORT`, value: String(first.port) });
    for (const sp of ports) {
      if (sp.name !== undefined && sp.name !== "") {
        out.push({
          key: `${prefix}_SERVICE_PORT_${envVariableName(sp.name)}`,
          value: String(sp.port),
        });
      }
    }
    out.push(...linkVariables(prefix, ip, ports));
  }
  return out;
}
