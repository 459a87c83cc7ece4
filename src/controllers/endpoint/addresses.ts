/** A Service's pods as Endpoints subsets (the address half of upstream's syncService). */
import type {
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  Pod,
  Service,
} from "kubernetes-types/core/v1.js";
import { isPodReady } from "../common/pod-state.js";
import {
  familyOf,
  findPort,
  type IPFamily,
  isServiceIPSet,
  podIPs,
  podIPsOfFamily,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from "../endpointslice/pod-endpoints.js";
import { repackSubsets } from "./subsets.js";

/**
 * The family the service's endpoints use: its first IP family; without
 * one (an old API server), the cluster IP's, or for headless services the
 * pod's own.
 */
function serviceFamily(svc: Service, pod: Pod): IPFamily {
  const first = svc.spec?.ipFamilies?.[0];
  if (first === "IPv4" || first === "IPv6") return first;
  if (isServiceIPSet(svc)) return familyOf(svc.spec?.clusterIP ?? "");
  return familyOf(podIPs(pod)[0] ?? "");
}

/** The pod as an address of the service; undefined when it has no IP of the service's family. */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  const ip = podIPsOfFamily(pod, serviceFamily(svc, pod))[0];
  if (ip === undefined) return undefined;
  const address: EndpointAddress = {
    ip,
    targetRef: {
      kind: "Pod",
      namespace: pod.metadata?.namespace ?? "",
      name: pod.metadata?.name ?? "",
      uid: pod.metadata?.uid ?? "",
    },
  };
  const nodeName = pod.spec?.nodeName ?? "";
  if (nodeName !== "") address.nodeName = nodeName;
  if (shouldSetHostname(pod, svc)) address.hostname = pod.spec?.hostname ?? "";
  return address;
}

export interface ComputedSubsets {
  subsets: EndpointSubset[];
  ready: number;
  notReady: number;
}

/**
 * Every pod that belongs in the service's endpoints, once per service
 * port it serves (ports resolved per pod, so a named targetPort can map
 * to different numbers, and pods without it are left out of that port),
 * as ready or not-ready addresses — all ready when the service publishes
 * not-ready addresses — repacked into canonical subsets.
 */
export function computeSubsets(svc: Service, pods: readonly Pod[]): ComputedSubsets {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const raw: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (address: EndpointAddress, at: { pod: Pod; port: EndpointPort | undefined }) => {
    const ports = at.port ? [at.port] : [];
    if (publishNotReady || isPodReady(at.pod)) {
      raw.push({ addresses: [address], ports });
      ready++;
    } else {
      raw.push({ notReadyAddresses: [address], ports });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podToEndpointAddress(svc, pod);
    if (!address) continue;
    const servicePorts = svc.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      // Only a headless service may go without ports.
      if (svc.spec?.clusterIP === "None") add(address, { pod, port: undefined });
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
      add(address, { pod, port: ep });
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady };
}
