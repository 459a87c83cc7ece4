import type { Service, ServicePort, ServiceSpec } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { type EndpointInfo, endpointsByServicePort } from "../../src/proxy/endpoints.js";
import type { RulesInput } from "../../src/proxy/rules.js";
import { servicePortsOf } from "../../src/proxy/service-port.js";

/** A Service `ns/name` with one TCP port named p80 (80) unless `ports` says otherwise. */
export function service(
  ref: string,
  spec: Partial<ServiceSpec> & { lbIPs?: string[] } = {},
): Service {
  const [namespace, name] = ref.split("/") as [string, string];
  const { lbIPs, ...rest } = spec;
  const ports: ServicePort[] = spec.ports ?? [{ name: "p80", port: 80, protocol: "TCP" }];
  return {
    metadata: { namespace, name },
    spec: { type: "ClusterIP", ...rest, ports },
    ...(lbIPs ? { status: { loadBalancer: { ingress: lbIPs.map((ip) => ({ ip })) } } } : {}),
  };
}

/** An endpoint on a node, ready unless conditions say otherwise. */
export function ep(ip: string, o: { node?: string } & Endpoint["conditions"] = {}): Endpoint {
  const { node = "node-b", ...conditions } = o;
  return { addresses: [ip], nodeName: node, conditions: { ready: true, ...conditions } };
}

/** A slice for service `ns/name` with port p80 → `port` unless `ports` says otherwise. */
export function slice(
  ref: string,
  endpoints: Endpoint[],
  opts: { port?: number; ports?: EndpointSlice["ports"]; suffix?: string } = {},
): EndpointSlice {
  const [namespace, name] = ref.split("/") as [string, string];
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      namespace,
      name: `${name}-${opts.suffix ?? "abc"}`,
      labels: { "kubernetes.io/service-name": name },
    },
    addressType: "IPv4",
    endpoints,
    ports: opts.ports ?? [{ name: "p80", port: opts.port ?? 80, protocol: "TCP" }],
  };
}

export function input(
  services: Service[],
  slices: EndpointSlice[],
  hostname = "node-a",
): RulesInput {
  return {
    services: services.flatMap(servicePortsOf),
    endpoints: endpointsByServicePort(slices, { hostname }),
  };
}

export function info(ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo {
  return {
    ip,
    port: 80,
    endpoint: `${ip}:80`,
    isLocal: false,
    ready: true,
    serving: true,
    terminating: false,
    zoneHints: [],
    ...o,
  };
}
