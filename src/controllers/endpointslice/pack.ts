/**
 * Packing one port set's endpoints into slices (upstream's
 * reconcileByPortMapping), pure: keep what is in place, touch as few
 * slices as possible, never exceed the per-slice maximum.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointPort, EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { newEndpointSlice, sameStringMap, sliceLabels } from "./desired.js";
import { type EndpointSet, endpointsEqualBeyondHash } from "./endpoint-set.js";
import type { IPFamily } from "./pod-endpoints.js";

/**
 * One group of slices sharing a port set (upstream's reconcileByPortMapping):
 * 1. keep the desired endpoints already in a slice (updating changed ones),
 *    dropping the rest; 2. top up the slices being updated anyway; 3. put
 *    what is left into the unchanged slice it fills best, or new slices.
 */
export function planPortMapping(
  input: { service: Service; controllerName: string; max: number },
  group: {
    existing: readonly EndpointSlice[];
    desired: EndpointSet;
    ports: EndpointPort[];
    addressType: IPFamily;
  },
): { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] } {
  const { max } = input;
  const { desired } = group;
  const labels = sliceLabels(input.service, input.controllerName);
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  for (const slice of group.existing) {
    const name = slice.metadata?.name ?? "";
    byName.set(name, slice);
    const current = slice.endpoints ?? [];
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of current) {
      const want = desired.get(ep);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) changed = true;
      desired.delete(ep);
    }
    const labelsChanged = !sameStringMap(labels, slice.metadata?.labels);
    if (changed || kept.length !== current.length) {
      if (kept.length === 0) {
        toDelete.add(name);
        continue;
      }
      byName.set(name, withEndpoints(slice, { endpoints: kept, labels }));
      toUpdate.add(name);
    } else if (labelsChanged) {
      byName.set(name, withEndpoints(slice, { endpoints: current, labels }));
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }

  if (desired.size > 0 && toUpdate.size > 0) {
    // Fill the fullest first, keeping the number of slices down.
    const slices = [...toUpdate]
      .map((n) => byName.get(n) as EndpointSlice)
      .sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const slice of slices) fill(slice, { desired, max });
  }

  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let target: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const candidates = [...unchanged].map((n) => byName.get(n) as EndpointSlice);
      const best = sliceToFill(candidates, { count: desired.size, max });
      if (best) {
        target = structuredClone(best);
        byName.set(target.metadata?.name ?? "", target);
      }
    }
    target ??= newEndpointSlice(input.service, {
      ports: group.ports,
      addressType: group.addressType,
      controllerName: input.controllerName,
    });
    fill(target, { desired, max });
    const name = target.metadata?.name;
    if (name) {
      toUpdate.add(name);
      unchanged.delete(name);
    } else {
      create.push(target);
    }
  }
  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n) as EndpointSlice),
    delete: [...toDelete].map((n) => byName.get(n) as EndpointSlice),
  };
}

function withEndpoints(
  slice: EndpointSlice,
  change: { endpoints: Endpoint[]; labels: Record<string, string> },
): EndpointSlice {
  const copy = structuredClone(slice);
  copy.endpoints = [...change.endpoints];
  copy.metadata = { ...copy.metadata, labels: { ...change.labels } };
  return copy;
}

function fill(slice: EndpointSlice, from: { desired: EndpointSet; max: number }): void {
  slice.endpoints ??= [];
  while (from.desired.size > 0 && slice.endpoints.length < from.max) {
    const ep = from.desired.pop();
    if (ep) slice.endpoints.push(ep);
  }
}

/** The slice that would be closest to full after taking `count` more endpoints, if any fits. */
export function sliceToFill(
  slices: readonly EndpointSlice[],
  want: { count: number; max: number },
): EndpointSlice | undefined {
  let closest = want.max;
  let best: EndpointSlice | undefined;
  for (const slice of slices) {
    const diff = want.max - (want.count + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = slice;
      if (diff === 0) break;
    }
  }
  return best;
}
