/**
 * An Ingress backend resolved to the addresses traffic goes to (pure).
 * `service.port` names a port of the Service by number or by name; the
 * endpoints are the ready ones of that port in the Service's
 * EndpointSlices, whose ports carry the Service port's name and the
 * target port number. An ExternalName Service is reached by its name on
 * the Service port's number.
 */
import type { Service, ServicePort } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { IngressBackend } from "kubernetes-types/networking/v1.js";

/** The label linking an EndpointSlice to its Service (discovery.LabelServiceName). */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

export interface Endpoint {
  /** An IP address, or the DNS name of an ExternalName Service. */
  readonly host: string;
  readonly port: number;
}

export interface Backend {
  /** `namespace/service:port`: names the backend in logs and keys its round-robin turn. */
  readonly key: string;
  /** Ready endpoints, sorted; empty means 503. */
  readonly endpoints: readonly Endpoint[];
  /** Why there are no endpoints, for the 503 body and logs. */
  readonly problem?: string;
}

/** Services and their slices by `namespace/name`, the way the route builder reads them. */
export interface ServiceIndex {
  service(key: string): Service | undefined;
  slices(key: string): readonly EndpointSlice[];
}

/** Indexes plain lists (the informer caches' contents) for lookups by service key. */
export function indexServices(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
): ServiceIndex {
  const byKey = new Map<string, Service>();
  for (const s of services) byKey.set(`${s.metadata?.namespace ?? ""}/${s.metadata?.name}`, s);
  const slicesOf = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const name = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!name) continue;
    const key = `${slice.metadata?.namespace ?? ""}/${name}`;
    const list = slicesOf.get(key) ?? [];
    list.push(slice);
    slicesOf.set(key, list);
  }
  return { service: (k) => byKey.get(k), slices: (k) => slicesOf.get(k) ?? [] };
}

function findServicePort(svc: Service, port: { name?: string; number?: number }) {
  const ports = svc.spec?.ports ?? [];
  if (port.name) return ports.find((p) => p.name === port.name);
  return ports.find((p) => p.port === port.number);
}

/** Ready TCP endpoints of the slice ports named like the Service port, deduplicated and sorted. */
function readyEndpoints(slices: readonly EndpointSlice[], sp: ServicePort): Endpoint[] {
  const wantName = sp.name ?? "";
  const seen = new Map<string, Endpoint>();
  for (const slice of slices) {
    if (slice.addressType === "FQDN") continue;
    for (const p of slice.ports ?? []) {
      if ((p.name ?? "") !== wantName || (p.protocol ?? "TCP") !== "TCP" || !p.port) continue;
      for (const ep of slice.endpoints ?? []) {
        // Unset ready means ready, as the EndpointSlice API says.
        if (ep.conditions?.ready === false) continue;
        for (const host of ep.addresses) seen.set(`${host}:${p.port}`, { host, port: p.port });
      }
    }
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

/** Resolves one backend of an Ingress in `namespace` against the current Services and slices. */
export function resolveBackend(
  ref: { namespace: string; backend: IngressBackend },
  index: ServiceIndex,
): Backend {
  const svcRef = ref.backend.service;
  if (!svcRef) {
    const r = ref.backend.resource;
    const key = `${ref.namespace}/${r?.kind ?? "?"}:${r?.name ?? "?"}`;
    return { key, endpoints: [], problem: "resource backends are not supported" };
  }
  const port = svcRef.port ?? {};
  const key = `${ref.namespace}/${svcRef.name}:${port.name ?? port.number ?? "?"}`;
  const svc = index.service(`${ref.namespace}/${svcRef.name}`);
  if (!svc) return { key, endpoints: [], problem: `service ${svcRef.name} not found` };
  if (svc.spec?.type === "ExternalName") {
    const number = port.number ?? findServicePort(svc, port)?.port;
    const host = svc.spec.externalName;
    if (!host || !number) return { key, endpoints: [], problem: "no port for ExternalName" };
    return { key, endpoints: [{ host, port: number }] };
  }
  const sp = findServicePort(svc, port);
  if (!sp) return { key, endpoints: [], problem: `service ${svcRef.name} has no such port` };
  const endpoints = readyEndpoints(index.slices(`${ref.namespace}/${svcRef.name}`), sp);
  return endpoints.length > 0 ? { key, endpoints } : { key, endpoints, problem: "no endpoints" };
}
