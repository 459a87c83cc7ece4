import type { Endpoints } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { sameStringMap } from "../endpointslice/desired.js";
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from "../endpointslice/resources.js";
import {
  type DesiredGroup,
  desiredGroups,
  groupKey,
  MAX_ENDPOINTS_PER_SUBSET,
  mirroredAnnotations,
  mirroredSlice,
  sliceMatches,
} from "./mirror.js";

export interface MirrorPlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Addresses that are not IPs (reported as an event). */
  invalid: number;
  /** Addresses left out, invalid or past the per-subset maximum. */
  skipped: number;
}

/**
 * Which mirrored slices to create, update and delete so the Endpoints'
 * addresses appear in exactly one slice per group; a group keeps its
 * first slice (rewritten only when endpoints, labels or annotations
 * differ) and loses any others.
 */
export function planMirror(
  ep: Endpoints,
  opts: {
    existing: readonly EndpointSlice[];
    /** Default MAX_ENDPOINTS_PER_SUBSET. */
    maxEndpointsPerSubset?: number;
  },
): MirrorPlan {
  const max = opts.maxEndpointsPerSubset ?? MAX_ENDPOINTS_PER_SUBSET;
  const { groups, invalid, skipped } = desiredGroups(ep, max);
  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const slice of opts.existing) {
    const key = groupKey(slice.addressType, slice.ports);
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  const plan: MirrorPlan = { create: [], update: [], delete: [], invalid, skipped };
  for (const [key, group] of groups) {
    planGroup(ep, { plan, group, existing: existingByKey.get(key) ?? [], max });
  }
  for (const [key, slices] of existingByKey) if (!groups.has(key)) plan.delete.push(...slices);
  recycle(plan);
  return plan;
}

function planGroup(
  ep: Endpoints,
  g: { plan: MirrorPlan; group: DesiredGroup; existing: EndpointSlice[]; max: number },
): void {
  const { plan, group, existing } = g;
  if (group.set.size === 0) {
    plan.delete.push(...existing);
    return;
  }
  const [first, ...rest] = existing;
  plan.delete.push(...rest);
  if (first) {
    const labels = { ...(first.metadata?.labels ?? {}) };
    delete labels[LABEL_MANAGED_BY];
    delete labels[LABEL_SERVICE_NAME];
    if (
      sliceMatches(first, group.set) &&
      sameStringMap(ep.metadata?.labels, labels) &&
      sameStringMap(mirroredAnnotations(ep), first.metadata?.annotations)
    ) {
      return;
    }
  }
  const slice = mirroredSlice(ep, {
    ports: group.ports,
    addressType: group.addressType,
    name: first?.metadata?.name,
  });
  // Optimistic concurrency: a slice changed since the cache saw it makes this a conflict.
  const rv = first?.metadata?.resourceVersion;
  if (rv) slice.metadata = { ...slice.metadata, resourceVersion: rv };
  while (group.set.size > 0 && slice.endpoints.length < g.max) {
    const next = group.set.pop();
    if (next) slice.endpoints.push(next);
  }
  (first ? plan.update : plan.create).push(slice);
}

/** Creates become updates of same-type slices that would otherwise be deleted. */
function recycle(plan: MirrorPlan): void {
  for (const type of ["IPv4", "IPv6"]) {
    const creates = plan.create.filter((s) => s.addressType === type);
    const deletes = plan.delete.filter((s) => s.addressType === type);
    for (let i = 0; i < creates.length && i < deletes.length; i++) {
      const slice = creates[i] as EndpointSlice;
      const old = deletes[i] as EndpointSlice;
      plan.create.splice(plan.create.indexOf(slice), 1);
      plan.delete.splice(plan.delete.indexOf(old), 1);
      const meta = { ...slice.metadata, name: old.metadata?.name ?? "" };
      delete meta.generateName;
      if (old.metadata?.resourceVersion) meta.resourceVersion = old.metadata.resourceVersion;
      slice.metadata = meta;
      plan.update.push(slice);
    }
  }
}
