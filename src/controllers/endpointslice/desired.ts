/** The slices a Service's pods call for: endpoints, ports, labels and new slices. */
import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointPort, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { newControllerRef } from "../common/controller-ref.js";
import { isPodReady } from "../common/pod-state.js";
import {
  familyOf,
  findPort,
  type IPFamily,
  isServiceIPSet,
  podIPsOfFamily,
  shouldSetHostname,
} from "./pod-endpoints.js";
import {
  LABEL_HEADLESS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  LABEL_TOPOLOGY_ZONE,
} from "./resources.js";

/**
 * A pod as a slice endpoint of one address family. `ready` is never true
 * for a terminating pod unless the service publishes not-ready addresses;
 * `serving` is the pod's readiness whatever its termination.
 */
export function podToEndpoint(
  pod: Pod,
  ctx: { service: Service; node: Node | undefined; addressType: IPFamily },
): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const ready = ctx.service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podIPsOfFamily(pod, ctx.addressType),
    conditions: { ready, serving, terminating },
    targetRef: {
      kind: "Pod",
      namespace: pod.metadata?.namespace ?? "",
      name: pod.metadata?.name ?? "",
      uid: pod.metadata?.uid ?? "",
    },
  };
  const nodeName = pod.spec?.nodeName ?? "";
  if (nodeName !== "") ep.nodeName = nodeName;
  const zone = ctx.node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE] ?? "";
  if (zone !== "") ep.zone = zone;
  if (shouldSetHostname(pod, ctx.service)) ep.hostname = pod.spec?.hostname ?? "";
  return ep;
}

/**
 * The service's ports as this pod serves them, in canonical order. Ports
 * the pod lacks (a named targetPort it does not declare) are left out; a
 * headless service may have none.
 */
export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP" };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    ports.push(ep);
  }
  return ports;
}

/**
 * The address types the service's slices use: its IP families; without
 * them (an old API server), the cluster IP's family, or both for headless.
 */
export function addressTypesForService(service: Service): Set<IPFamily> {
  const types = new Set<IPFamily>();
  for (const f of service.spec?.ipFamilies ?? []) if (f === "IPv4" || f === "IPv6") types.add(f);
  if (types.size > 0) return types;
  if (isServiceIPSet(service)) return new Set([familyOf(service.spec?.clusterIP ?? "")]);
  return new Set(["IPv4", "IPv6"]);
}

/**
 * A slice's labels: the service's, minus the reserved keys, plus the
 * service name, the managing controller and (for headless services) the
 * headless marker.
 */
export function sliceLabels(service: Service, controllerName: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata?.labels ?? {})) {
    if (k === LABEL_SERVICE_NAME || k === LABEL_MANAGED_BY || k === LABEL_HEADLESS) continue;
    labels[k] = v;
  }
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS] = "";
  labels[LABEL_SERVICE_NAME] = service.metadata?.name ?? "";
  labels[LABEL_MANAGED_BY] = controllerName;
  return labels;
}

/** A new, empty slice for the service, named `<service>-<random>` by the server. */
export function newEndpointSlice(
  service: Service,
  meta: { ports: EndpointPort[]; addressType: IPFamily; controllerName: string },
): EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: `${service.metadata?.name ?? ""}-`,
      namespace: service.metadata?.namespace ?? "",
      labels: sliceLabels(service, meta.controllerName),
      ownerReferences: [newControllerRef(service, { apiVersion: "v1", kind: "Service" })],
    },
    addressType: meta.addressType,
    ports: meta.ports,
    endpoints: [],
  };
}

/** The slice names the service (by UID) as an owner. */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some(
    (o) => o.uid === service.metadata?.uid && o.kind === "Service" && o.apiVersion === "v1",
  );
}

/** Same keys and values. */
export function sameStringMap(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b?.[k] === a?.[k] && Object.hasOwn(b ?? {}, k));
}
