import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";

export const service = (spec: Partial<NonNullable<Service["spec"]>> = {}): Service => ({
  metadata: { name: "web", namespace: "ns", uid: "svc-uid", labels: { team: "blue" } },
  spec: {
    selector: { app: "web" },
    clusterIP: "10.96.0.10",
    ipFamilies: ["IPv4"],
    ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
    ...spec,
  },
});

export const pod = (
  i: number,
  o: {
    ready?: boolean;
    deleting?: boolean;
    node?: string;
    ports?: { name: string; containerPort: number }[];
  } = {},
): Pod => ({
  metadata: {
    name: `web-${i}`,
    namespace: "ns",
    uid: `uid-${i}`,
    resourceVersion: "1",
    ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
  },
  spec: {
    nodeName: o.node ?? "node-1",
    containers: [{ name: "c", ...(o.ports ? { ports: o.ports } : {}) }],
  },
  status: {
    phase: "Running",
    podIP: `10.0.${Math.floor(i / 250)}.${i % 250}`,
    podIPs: [{ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` }],
    conditions: [{ type: "Ready", status: (o.ready ?? true) ? "True" : "False" }],
  },
});

export const pods = (n: number, from = 0): Pod[] =>
  Array.from({ length: n }, (_, i) => pod(from + i));

export const nodes: Record<string, Node> = {
  "node-1": { metadata: { name: "node-1", labels: { "topology.kubernetes.io/zone": "zone-a" } } },
};

/** Plays the API server: gives a planned slice a name, uid and resourceVersion. */
export function stored(slice: EndpointSlice, n: number): EndpointSlice {
  const meta = { ...slice.metadata, name: slice.metadata?.name ?? `web-${n}`, uid: `slice-${n}` };
  delete meta.generateName;
  return { ...structuredClone(slice), metadata: { ...meta, resourceVersion: String(n) } };
}
