/**
 * Mirroring a user's Endpoints into EndpointSlices (upstream's
 * endpointslicemirroring reconciler), pure: one slice per canonical
 * subset and address family, up to MAX_ENDPOINTS_PER_SUBSET addresses each.
 */
import type { EndpointAddress, EndpointSubset, Endpoints } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointPort, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { ipFamilyOf } from "../../api/validation/names.js";
import { newControllerRef } from "../common/controller-ref.js";
import { isManagedEndpoints } from "../endpoint/desired.js";
import { repackSubsets } from "../endpoint/subsets.js";
import {
  EndpointSet,
  endpointsEqualBeyondHash,
  portMapKey,
  sortPorts,
} from "../endpointslice/endpoint-set.js";
import type { IPFamily } from "../endpointslice/pod-endpoints.js";
import {
  ANNOTATION_LAST_APPLIED,
  ANNOTATION_LEADER,
  ANNOTATION_TRIGGER_TIME,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  LABEL_SKIP_MIRROR,
} from "../endpointslice/resources.js";

/** The managed-by value of mirrored slices. */
export const MIRRORING_CONTROLLER = "endpointslicemirroring-controller.k8s.io";
/** Upstream's --mirroring-max-endpoints-per-subset default. */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;

/**
 * Endpoints worth mirroring: not marked skip-mirror, not a leader-election
 * lock, and not made by the endpoint controller (its slices come from the
 * EndpointSlice controller; a copy would only go stale).
 */
export function shouldMirror(ep: Endpoints | undefined): boolean {
  if (!ep) return false;
  if (ep.metadata?.labels?.[LABEL_SKIP_MIRROR] === "true") return false;
  if (ep.metadata?.annotations?.[ANNOTATION_LEADER] !== undefined) return false;
  return !isManagedEndpoints(ep);
}

/** The address as written by ParseIP then String: IPv4 octets without leading zeros. */
function canonicalIP(ip: string, family: IPFamily): string {
  return family === "IPv4"
    ? ip
        .split(".")
        .map((o) => String(Number(o)))
        .join(".")
    : ip.toLowerCase();
}

/** An Endpoints address as a slice endpoint; undefined when it is not an IP. */
export function addressToEndpoint(
  address: EndpointAddress,
  ready: boolean,
): { endpoint: Endpoint; addressType: IPFamily } | undefined {
  const family = ipFamilyOf(address.ip);
  if (family === undefined) return undefined;
  const endpoint: Endpoint = {
    addresses: [canonicalIP(address.ip, family)],
    conditions: { ready },
  };
  if (address.targetRef) endpoint.targetRef = address.targetRef;
  if (address.nodeName) endpoint.nodeName = address.nodeName;
  if (address.hostname) endpoint.hostname = address.hostname;
  return { endpoint, addressType: family };
}

/** Endpoints ports as slice ports, in canonical order. */
export function slicePorts(subset: EndpointSubset): EndpointPort[] {
  return sortPorts(
    (subset.ports ?? []).map((p) => {
      const port: EndpointPort = {
        name: p.name ?? "",
        port: p.port,
        protocol: p.protocol ?? "TCP",
      };
      if (p.appProtocol !== undefined) port.appProtocol = p.appProtocol;
      return port;
    }),
  );
}

/** The annotations a mirrored slice carries: all but the trigger time and kubectl's record. */
export function mirroredAnnotations(ep: Endpoints): Record<string, string> {
  const out = { ...(ep.metadata?.annotations ?? {}) };
  delete out[ANNOTATION_TRIGGER_TIME];
  delete out[ANNOTATION_LAST_APPLIED];
  return out;
}

/** A mirrored slice: the Endpoints' labels and annotations, owned by the Endpoints. */
export function mirroredSlice(
  ep: Endpoints,
  meta: { ports: EndpointPort[]; addressType: IPFamily; name?: string | undefined },
): EndpointSlice {
  const name = ep.metadata?.name ?? "";
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      ...(meta.name ? { name: meta.name } : { generateName: `${name}-` }),
      namespace: ep.metadata?.namespace ?? "",
      labels: {
        ...(ep.metadata?.labels ?? {}),
        [LABEL_SERVICE_NAME]: name,
        [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER,
      },
      annotations: mirroredAnnotations(ep),
      ownerReferences: [newControllerRef(ep, { apiVersion: "v1", kind: "Endpoints" })],
    },
    addressType: meta.addressType,
    ports: meta.ports,
    endpoints: [],
  };
}

export function groupKey(addressType: string, ports: readonly EndpointPort[] | undefined): string {
  return `${addressType}-${portMapKey(ports)}`;
}

export interface DesiredGroup {
  ports: EndpointPort[];
  addressType: IPFamily;
  set: EndpointSet;
}

/**
 * The endpoints each (address type, port set) group should hold, from the
 * canonical subsets; per subset at most `max` addresses, ready first.
 * `invalid` counts addresses that are not IPs, `skipped` all left out.
 */
export function desiredGroups(
  ep: Endpoints,
  max: number,
): { groups: Map<string, DesiredGroup>; invalid: number; skipped: number } {
  const groups = new Map<string, DesiredGroup>();
  let invalid = 0;
  let skipped = 0;
  for (const subset of repackSubsets(ep.subsets ?? [])) {
    const ports = slicePorts(subset);
    for (const addressType of ["IPv4", "IPv6"] as const) {
      const key = groupKey(addressType, ports);
      if (!groups.has(key)) groups.set(key, { ports, addressType, set: new EndpointSet() });
    }
    const all = [
      ...(subset.addresses ?? []).map((a) => ({ a, ready: true })),
      ...(subset.notReadyAddresses ?? []).map((a) => ({ a, ready: false })),
    ];
    let added = 0;
    for (const { a, ready } of all) {
      if (added >= max) break;
      const r = addressToEndpoint(a, ready);
      if (!r) {
        invalid++;
        continue;
      }
      groups.get(groupKey(r.addressType, ports))?.set.insert(r.endpoint);
      added++;
    }
    skipped += all.length - added;
  }
  return { groups, invalid, skipped };
}

/** The first slice already holds exactly the desired endpoints. */
export function sliceMatches(slice: EndpointSlice, desired: EndpointSet): boolean {
  const current = slice.endpoints ?? [];
  if (current.length !== desired.size) return false;
  return current.every((ep) => {
    const want = desired.get(ep);
    return want !== undefined && endpointsEqualBeyondHash(want, ep);
  });
}
