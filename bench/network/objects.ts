/**
 * The Services and EndpointSlices the network benchmark programs: service
 * `svc-N` has one TCP port (80 → 8080) and one slice of `endpoints` ready
 * endpoints in 10.42.0.0/16, spread over two nodes.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";

export const NAMESPACE = "default";

/** A Service; without `clusterIP` the API server allocates one. */
export function service(i: number, clusterIP?: string): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `svc-${i}`, namespace: NAMESPACE },
    spec: {
      ...(clusterIP ? { clusterIP, clusterIPs: [clusterIP] } : {}),
      selector: { app: `svc-${i}` },
      ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
    },
  };
}

/** The i-th pod address: 10.42.x.y, unique for i < 65,000. */
export function podIP(i: number): string {
  return `10.42.${Math.floor(i / 250)}.${(i % 250) + 2}`;
}

/** Service i's slice; `generation` shifts the addresses so each call can differ. */
export function slice(i: number, opts: { endpoints: number; generation?: number }): EndpointSlice {
  const g = opts.generation ?? 0;
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `svc-${i}-bench`,
      namespace: NAMESPACE,
      labels: { "kubernetes.io/service-name": `svc-${i}` },
    },
    addressType: "IPv4",
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    endpoints: Array.from({ length: opts.endpoints }, (_, e) => ({
      addresses: [podIP((i * opts.endpoints + e + g) % 64_000)],
      conditions: { ready: true },
      nodeName: e % 2 === 0 ? "bench-node" : "other-node",
    })),
  };
}

/** 10.43.x.y for in-memory services (the API server allocates its own). */
export function clusterIP(i: number): string {
  return `10.43.${Math.floor(i / 250) + 100}.${(i % 250) + 2}`;
}
