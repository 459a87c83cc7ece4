/**
 * What a pod contributes to a Service's endpoints, shared by the Endpoints
 * and EndpointSlice controllers (upstream's k8s.io/endpointslice/util).
 */
import type { Pod, Service, ServicePort } from "kubernetes-types/core/v1.js";
import { ipFamilyOf } from "../../api/validation/names.js";
import { isPodReady } from "../common/pod-state.js";

export type IPFamily = "IPv4" | "IPv6";

/** Succeeded or Failed: its containers are gone for good. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** The pod's IPs; podIP alone when podIPs is unset (the API server keeps them in step). */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? [])
    .map((p) => p.ip)
    .filter((ip): ip is string => ip !== undefined && ip !== "");
  if (ips.length > 0) return ips;
  const ip = pod.status?.podIP;
  return ip ? [ip] : [];
}

/**
 * Whether the pod belongs in Endpoints or EndpointSlices at all: not
 * terminal, has an IP, and is not terminating unless `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/** A pod gets a DNS hostname under a service it names as its subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (
    (pod.spec?.hostname ?? "") !== "" &&
    pod.spec?.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
  );
}

/** The service has a cluster IP (not headless, not unallocated). */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? "";
  return ip !== "None" && ip !== "";
}

/**
 * The container port a service port reaches on this pod: a numeric
 * targetPort as is; a named one looked up among the pod's container ports
 * (and sidecars') with the same protocol. Undefined when the pod lacks it.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  const protocol = port.protocol ?? "TCP";
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The IP family of an address, IPv4 for anything unparseable (as utilnet.IsIPv6String). */
export function familyOf(ip: string): IPFamily {
  return ipFamilyOf(ip) === "IPv6" ? "IPv6" : "IPv4";
}

/** The pod's IPs of one family. */
export function podIPsOfFamily(pod: Pod, family: IPFamily): string[] {
  return podIPs(pod).filter((ip) => familyOf(ip) === family);
}

/**
 * Whether an update to a pod can change endpoints (`changed`) or which
 * services select it (`labelsChanged`): readiness, deletion, IPs; labels,
 * hostname, subdomain. Name, namespace, UID and node are fixed by then.
 */
export function podEndpointsChanged(
  old: Pod,
  cur: Pod,
): { changed: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(old.metadata?.labels, cur.metadata?.labels) ||
    old.spec?.hostname !== cur.spec?.hostname ||
    old.spec?.subdomain !== cur.spec?.subdomain;
  const oldIPs = podIPs(old);
  const curIPs = podIPs(cur);
  const changed =
    old.metadata?.deletionTimestamp !== cur.metadata?.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    oldIPs.length !== curIPs.length ||
    oldIPs.some((ip, i) => ip !== curIPs[i]);
  return { changed, labelsChanged };
}

function sameLabels(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a?.[k] === b?.[k]);
}
