// Services and EndpointSlices as the API would hand them to the informers.
import type { Service, ServicePort } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { serviceRecords } from "../../src/dns/service-records.js";
import { Zone } from "../../src/dns/zone.js";

export function clusterIpService(
  name: string,
  opts: { namespace?: string; ip: string; ports?: ServicePort[] },
): Service {
  return {
    metadata: { name, namespace: opts.namespace ?? "default" },
    spec: { type: "ClusterIP", clusterIP: opts.ip, clusterIPs: [opts.ip], ports: opts.ports ?? [] },
  };
}

export function headlessService(
  name: string,
  opts: { namespace?: string; ports?: ServicePort[]; publishNotReady?: boolean } = {},
): Service {
  return {
    metadata: { name, namespace: opts.namespace ?? "default" },
    spec: {
      clusterIP: "None",
      ports: opts.ports ?? [],
      ...(opts.publishNotReady ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

export function externalService(name: string, target: string): Service {
  return {
    metadata: { name, namespace: "default" },
    spec: { type: "ExternalName", externalName: target },
  };
}

export function slice(
  service: string,
  opts: {
    name?: string;
    namespace?: string;
    endpoints: Endpoint[];
    ports?: { name?: string; port: number; protocol?: string }[];
    addressType?: string;
  },
): EndpointSlice {
  return {
    addressType: opts.addressType ?? "IPv4",
    metadata: {
      name: opts.name ?? `${service}-abc`,
      namespace: opts.namespace ?? "default",
      labels: { "kubernetes.io/service-name": service },
    },
    endpoints: opts.endpoints,
    ports: opts.ports ?? [],
  };
}

/** A zone holding these services, each with the slices given for it. */
export function zoneOf(
  entries: { service: Service; slices?: EndpointSlice[] }[],
  opts: { domain?: string; now?: () => number } = {},
): Zone {
  const zone = new Zone({
    domain: opts.domain ?? "cluster.local",
    ...(opts.now ? { now: opts.now } : {}),
  });
  for (const e of entries) {
    const key = `${e.service.metadata?.namespace}/${e.service.metadata?.name}`;
    zone.replace(key, serviceRecords({ service: e.service, slices: e.slices ?? [] }, zone.domain));
  }
  return zone;
}
