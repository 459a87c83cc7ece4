/**
 * The EndpointSlice reconcile decision (upstream's staging endpointslice
 * Reconciler), pure: given a Service, its pods and its current slices,
 * which slices to create, update and delete so every serving pod appears
 * exactly once, with as few writes as possible.
 */
import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointPort, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import {
  addressTypesForService,
  endpointPorts,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  sameStringMap,
} from "./desired.js";
import { EndpointSet, portMapKey, sortPorts } from "./endpoint-set.js";
import { planPortMapping } from "./pack.js";
import { type IPFamily, shouldPodBeInEndpoints } from "./pod-endpoints.js";

/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Pods left out for now (their node is unknown): the sync should be retried. */
  errors: string[];
}

export interface PlanInput {
  readonly service: Service;
  readonly pods: readonly Pod[];
  /** The service's slices managed by this controller, none being deleted. */
  readonly existing: readonly EndpointSlice[];
  readonly nodeOf: (name: string) => Node | undefined;
  readonly controllerName: string;
  /** Default MAX_ENDPOINTS_PER_SLICE. */
  readonly maxEndpointsPerSlice?: number;
}

export function planSlices(input: PlanInput): SlicePlan {
  const types = addressTypesForService(input.service);
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const byType = new Map<IPFamily, EndpointSlice[]>();
  for (const slice of input.existing) {
    const t = slice.addressType as IPFamily;
    if (!types.has(t)) {
      // The service no longer has this IP family.
      plan.delete.push(slice);
      continue;
    }
    byType.set(t, [...(byType.get(t) ?? []), slice]);
  }
  for (const addressType of types) {
    const p = planAddressType(input, { addressType, existing: byType.get(addressType) ?? [] });
    plan.create.push(...p.create);
    plan.update.push(...p.update);
    plan.delete.push(...p.delete);
    plan.errors.push(...p.errors);
  }
  return plan;
}

interface Desired {
  ports: EndpointPort[];
  set: EndpointSet;
}

function desiredByPorts(
  input: PlanInput,
  addressType: IPFamily,
): { groups: Map<string, Desired>; errors: string[] } {
  const { service } = input;
  const groups = new Map<string, Desired>();
  const errors: string[] = [];
  const svcName = `${service.metadata?.namespace ?? ""}/${service.metadata?.name ?? ""}`;
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = sortPorts(endpointPorts(service, pod));
    const key = portMapKey(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, set: new EndpointSet() };
      groups.set(key, group);
    }
    const nodeName = pod.spec?.nodeName ?? "";
    const node = input.nodeOf(nodeName);
    // A pod on an unknown node is left out and the sync retried, so a
    // dangling node reference cannot wedge the slice; publishing not-ready
    // addresses is an explicit wish to list it anyway.
    if (!node && service.spec?.publishNotReadyAddresses !== true) {
      errors.push(
        `skipping Pod ${pod.metadata?.name ?? ""} for Service ${svcName}: Node ${nodeName} Not Found`,
      );
      continue;
    }
    const ep = podToEndpoint(pod, { service, node, addressType });
    if (ep.addresses.length > 0) group.set.insert(ep);
  }
  return { groups, errors };
}

function planAddressType(
  input: PlanInput,
  at: { addressType: IPFamily; existing: readonly EndpointSlice[] },
): SlicePlan {
  const { service } = input;
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of at.existing) {
    if (!ownedBy(slice, service)) {
      // Left over from an earlier service of the same name.
      del.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const { groups, errors } = desiredByPorts(input, at.addressType);
  const packing = {
    service,
    controllerName: input.controllerName,
    max: input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE,
  };
  for (const [key, desired] of groups) {
    const p = planPortMapping(packing, {
      existing: existingByPorts.get(key) ?? [],
      desired: desired.set,
      ports: desired.ports,
      addressType: at.addressType,
    });
    create.push(...p.create);
    update.push(...p.update);
    del.push(...p.delete);
  }
  for (const [key, slices] of existingByPorts) if (!groups.has(key)) del.push(...slices);

  // A service with no endpoints still gets one empty slice (upstream's placeholder).
  if (at.existing.length === del.length && create.length === 0) {
    const placeholder = newEndpointSlice(service, {
      ports: [],
      addressType: at.addressType,
      controllerName: input.controllerName,
    });
    const [only] = del;
    if (del.length === 1 && only && isPlaceholderOf(only, placeholder)) del.length = 0;
    else create.push(placeholder);
  }
  recycle({ create, update, delete: del }, service);
  return { create, update, delete: del, errors };
}

/** The same empty slice in all that matters: namespace, labels, type, no ports, no endpoints. */
function isPlaceholderOf(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata?.namespace === placeholder.metadata?.namespace &&
    sameStringMap(slice.metadata?.labels, placeholder.metadata?.labels) &&
    slice.addressType === placeholder.addressType &&
    (slice.ports ?? []).length === 0 &&
    (slice.endpoints ?? []).length === 0
  );
}

/**
 * Turns creates into updates of slices that would otherwise be deleted
 * (same address type, owned by this service), saving a delete and a create.
 */
function recycle(
  plan: { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] },
  service: Service,
): void {
  for (let i = 0; i < plan.delete.length && plan.create.length > 0; ) {
    const old = plan.delete[i] as EndpointSlice;
    const slice = plan.create[plan.create.length - 1] as EndpointSlice;
    if (old.addressType !== slice.addressType || !ownedBy(old, service)) {
      i++;
      continue;
    }
    const meta = { ...slice.metadata, name: old.metadata?.name ?? "" };
    delete meta.generateName;
    // Optimistic concurrency: a slice changed since the cache saw it makes this a conflict.
    if (old.metadata?.resourceVersion) meta.resourceVersion = old.metadata.resourceVersion;
    slice.metadata = meta;
    plan.create.pop();
    plan.delete.splice(i, 1);
    plan.update.push(slice);
  }
}
