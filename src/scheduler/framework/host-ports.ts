/**
 * Host ports in use on a node, keyed by IP then protocol/port (upstream's
 * HostPortInfo). 0.0.0.0 is a wildcard that conflicts with every IP.
 */
import type { ContainerPort, Pod } from "kubernetes-types/core/v1.js";

export const DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0";

function sanitize(ip: string | undefined, protocol: string | undefined) {
  return { ip: ip || DEFAULT_BIND_ALL_HOST_IP, protocol: protocol || "TCP" };
}

export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  /** Record a use; ports <= 0 are ignored. Uses are counted so removal is exact. */
  add(port: Pick<ContainerPort, "hostIP" | "protocol" | "hostPort">): void {
    if (!port.hostPort || port.hostPort <= 0) return;
    const { ip, protocol } = sanitize(port.hostIP, port.protocol);
    const key = `${protocol}/${port.hostPort}`;
    let ports = this.byIP.get(ip);
    if (!ports) {
      ports = new Map();
      this.byIP.set(ip, ports);
    }
    ports.set(key, (ports.get(key) ?? 0) + 1);
  }

  remove(port: Pick<ContainerPort, "hostIP" | "protocol" | "hostPort">): void {
    if (!port.hostPort || port.hostPort <= 0) return;
    const { ip, protocol } = sanitize(port.hostIP, port.protocol);
    const ports = this.byIP.get(ip);
    const key = `${protocol}/${port.hostPort}`;
    const n = ports?.get(key);
    if (ports === undefined || n === undefined) return;
    if (n > 1) ports.set(key, n - 1);
    else ports.delete(key);
    if (ports.size === 0) this.byIP.delete(ip);
  }

  /** Whether binding this port would conflict with a port already in use. */
  conflicts(port: Pick<ContainerPort, "hostIP" | "protocol" | "hostPort">): boolean {
    if (!port.hostPort || port.hostPort <= 0) return false;
    const { ip, protocol } = sanitize(port.hostIP, port.protocol);
    const key = `${protocol}/${port.hostPort}`;
    if (ip === DEFAULT_BIND_ALL_HOST_IP) {
      for (const ports of this.byIP.values()) if (ports.has(key)) return true;
      return false;
    }
    return (
      (this.byIP.get(ip)?.has(key) ?? false) ||
      (this.byIP.get(DEFAULT_BIND_ALL_HOST_IP)?.has(key) ?? false)
    );
  }

  get size(): number {
    let n = 0;
    for (const ports of this.byIP.values()) n += ports.size;
    return n;
  }

  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [ip, ports] of this.byIP) copy.byIP.set(ip, new Map(ports));
    return copy;
  }
}

/**
 * The container ports a pod would bind: those of its containers and of its
 * sidecars (restartable init containers), which run alongside them.
 */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === "Always") out.push(...(c.ports ?? []));
  }
  for (const c of pod.spec?.containers ?? []) out.push(...(c.ports ?? []));
  return out.filter((p) => (p.hostPort ?? 0) > 0);
}
