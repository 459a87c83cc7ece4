import type { Endpoints, Service } from "kubernetes-types/core/v1.js";
import type { RestClient } from "../client/rest/client.js";
import { isAlreadyExists, isNotFound } from "../client/rest/errors.js";
import { ResourceClient } from "../client/rest/resource.js";

const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true } as const;
const ENDPOINTS = { group: "", version: "v1", resource: "endpoints", namespaced: true } as const;

/** The kube-dns Service pods are given as their nameserver (--cluster-dns). */
export function kubeDnsService(clusterIP: string): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kube-dns",
      namespace: "kube-system",
      labels: { "k8s-app": "kube-dns", "kubernetes.io/name": "KubeDNS" },
    },
    spec: {
      clusterIP,
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      ],
    },
  };
}

/**
 * Its endpoints: the DNS server `k8ts server` runs in its own process on
 * the node's address. The Service has no selector, so these Endpoints are
 * ours to write (the mirroring controller turns them into an EndpointSlice
 * the proxy follows).
 */
export function kubeDnsEndpoints(opts: { nodeIp: string; port: number }): Endpoints {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    subsets: [
      {
        addresses: [{ ip: opts.nodeIp }],
        ports: [
          { name: "dns", port: opts.port, protocol: "UDP" },
          { name: "dns-tcp", port: opts.port, protocol: "TCP" },
        ],
      },
    ],
  };
}

/** Creates the kube-dns Service and points its Endpoints at this server's DNS. */
export async function publishKubeDns(
  rest: RestClient,
  opts: { clusterIP: string; nodeIp: string; port: number },
): Promise<void> {
  const services = new ResourceClient<Service>(rest, SERVICES);
  // Look first: creating a namesake with its cluster IP fails on the IP (422, taken by
  // the existing Service, as upstream) before it could fail on the name.
  const existing = await services
    .get("kube-dns", { namespace: "kube-system" })
    .catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
  if (!existing) {
    await services
      .create(kubeDnsService(opts.clusterIP), { namespace: "kube-system" })
      .catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
  }
  const endpoints = new ResourceClient<Endpoints>(rest, ENDPOINTS);
  const wanted = kubeDnsEndpoints(opts);
  try {
    const current = await endpoints.get("kube-dns", { namespace: "kube-system" });
    await endpoints.update({
      ...wanted,
      metadata: { ...wanted.metadata, resourceVersion: current.metadata?.resourceVersion ?? "" },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await endpoints.create(wanted, { namespace: "kube-system" });
  }
}
