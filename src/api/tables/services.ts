/** Service networking: services, endpoints, endpoint slices, ingresses, network policies. */

import type { Endpoints, Service, ServicePort } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { Ingress, IngressClass, NetworkPolicy } from "kubernetes-types/networking/v1.js";
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import {
  AGE_COLUMN,
  column,
  formatLabelSelector,
  formatLabels,
  listWithMore,
  NAME_COLUMN,
  nameOf,
  view,
  wide,
} from "./format.js";
import type { TablePrinter } from "./types.js";

function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** Sorted, de-duplicated load-balancer IPs (or hostnames), comma-joined. */
function loadBalancerAddresses(
  ingress: ReadonlyArray<{ ip?: string; hostname?: string }> | undefined,
): string {
  const set = new Set<string>();
  for (const entry of ingress ?? []) {
    if (entry.ip) set.add(entry.ip);
    else if (entry.hostname) set.add(entry.hostname);
  }
  return [...set].sort().join(",");
}

function externalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) {
        const parts = lb === "" ? [] : lb.split(",");
        return [...parts, ...externalIPs].join(",");
      }
      return lb === "" ? "<pending>" : lb;
    }
    case "ExternalName":
      return svc.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

/** `80/TCP`, `80:30080/TCP`, comma-joined; "<none>" when the service has no ports. */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  const pieces = (ports ?? []).map((p) => {
    const protocol = p.protocol ?? "TCP";
    return p.nodePort && p.nodePort > 0
      ? `${p.port}:${p.nodePort}/${protocol}`
      : `${p.port}/${protocol}`;
  });
  return pieces.length === 0 ? "<none>" : pieces.join(",");
}

export const servicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", { description: "How the service is exposed." }),
    column("Cluster-IP", { description: "The service's virtual IP inside the cluster." }),
    column("External-IP", { description: "Addresses the service is reachable on from outside." }),
    column("Port(s)", { description: "Service ports, with node ports where allocated." }),
    AGE_COLUMN,
    wide("Selector", "Labels of the pods the service routes to."),
  ],
  row(obj, now) {
    const svc = view<Service>(obj);
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP;
    return [
      nameOf(obj),
      svc.spec?.type ?? "",
      clusterIP ? clusterIP : "<none>",
      externalIP(svc),
      servicePorts(svc.spec?.ports),
      age(obj, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Up to three `ip:port` pairs, then " + N more..."; "<none>" without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const shown = list.join(",");
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

export const endpointsPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Endpoints", { description: "Ready addresses behind the service, with ports." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    return [nameOf(obj), formatEndpoints(view<Endpoints>(obj)), age(obj, now)];
  },
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("AddressType", { description: "Address family of the endpoints." }),
    column("Ports", { description: "Port numbers (or names) the endpoints serve." }),
    column("Endpoints", { description: "Endpoint addresses in the slice." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const slice = view<EndpointSlice>(obj);
    const ports = (slice.ports ?? []).map((p) =>
      p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? "*"),
    );
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      nameOf(obj),
      slice.addressType ?? "",
      listWithMore(ports, 3),
      listWithMore(addresses, 3),
      age(obj, now),
    ];
  },
};

function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  const shown = list.join(",");
  return more ? `${shown} + ${rules.length - max} more...` : shown;
}

export const ingressPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Class", { description: "The IngressClass that implements this ingress." }),
    column("Hosts", { description: "Host names the rules match." }),
    column("Address", { description: "Addresses of the load balancer serving the ingress." }),
    column("Ports", { description: "Ports the ingress listens on." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const ing = view<Ingress>(obj);
    return [
      nameOf(obj),
      ing.spec?.ingressClassName ?? "<none>",
      ingressHosts(ing),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
      (ing.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
      age(obj, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Controller", { description: "The controller that handles ingresses of this class." }),
    column("Parameters", { description: "Reference to extra configuration for the class." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const ic = view<IngressClass>(obj);
    const params = ic.spec?.parameters;
    let parameters = "<none>";
    if (params) {
      const kind = params.apiGroup ? `${params.kind}.${params.apiGroup}` : params.kind;
      parameters = `${kind}/${params.name}`;
    }
    return [nameOf(obj), ic.spec?.controller ?? "", parameters, age(obj, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Pod-Selector", { description: "Labels of the pods the policy applies to." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const np = view<NetworkPolicy>(obj);
    return [nameOf(obj), formatLabelSelector(np.spec?.podSelector ?? {}), age(obj, now)];
  },
};
