/**
 * Identity and comparison of slice endpoints and port lists, so a
 * reconcile can match existing endpoints with desired ones and update in
 * place when only conditions or topology changed.
 */
import type { ObjectReference } from "kubernetes-types/core/v1.js";
import type { Endpoint, EndpointPort } from "kubernetes-types/discovery/v1.js";

/**
 * An endpoint's identity: its addresses, hostname and target. Conditions,
 * node and zone are left out so a change to them is an update, not a swap.
 */
export function endpointHash(ep: Endpoint): string {
  return JSON.stringify([
    [...(ep.addresses ?? [])].sort(),
    ep.hostname ?? "",
    ep.targetRef?.namespace ?? "",
    ep.targetRef?.name ?? "",
  ]);
}

function portKey(p: EndpointPort): string {
  return JSON.stringify([p.name ?? "", p.port ?? null, p.protocol ?? "TCP", p.appProtocol ?? ""]);
}

/** The ports in canonical order (the order slices are written in). */
export function sortPorts(ports: readonly EndpointPort[]): EndpointPort[] {
  return [...ports].sort((a, b) => {
    const ka = portKey(a);
    const kb = portKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** One key per distinct set of ports, whatever their order (upstream's PortMapKey). */
export function portMapKey(ports: readonly EndpointPort[] | undefined): string {
  return JSON.stringify(sortPorts(ports ?? []).map(portKey));
}

function sameRef(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  // The target's resourceVersion is ignored: pod updates that do not matter would churn slices.
  return (
    (a.kind ?? "") === (b.kind ?? "") &&
    (a.namespace ?? "") === (b.namespace ?? "") &&
    (a.name ?? "") === (b.name ?? "") &&
    (a.uid ?? "") === (b.uid ?? "") &&
    (a.apiVersion ?? "") === (b.apiVersion ?? "") &&
    (a.fieldPath ?? "") === (b.fieldPath ?? "")
  );
}

/** Equal in everything the hash leaves out (upstream's EndpointsEqualBeyondHash). */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    sameRef(a.targetRef, b.targetRef)
  );
}

/** Endpoints by identity, in insertion order (so packing is deterministic). */
export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  insert(ep: Endpoint): void {
    this.items.set(endpointHash(ep), ep);
  }

  get(ep: Endpoint): Endpoint | undefined {
    return this.items.get(endpointHash(ep));
  }

  delete(ep: Endpoint): void {
    this.items.delete(endpointHash(ep));
  }

  /** Removes and returns the first endpoint. */
  pop(): Endpoint | undefined {
    for (const [k, ep] of this.items) {
      this.items.delete(k);
      return ep;
    }
    return undefined;
  }

  get size(): number {
    return this.items.size;
  }
}
