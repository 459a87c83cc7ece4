import type { Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { SharedInformerFactory } from "../client/informer/factory.js";
import { objectKey } from "../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../client/informer/informer.js";
import type { ResourceRef } from "../client/rest/resource.js";
import { serviceRecords } from "./service-records.js";
import type { Zone } from "./zone.js";

const SERVICES: ResourceRef = { group: "", version: "v1", resource: "services", namespaced: true };
const ENDPOINT_SLICES: ResourceRef = {
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  namespaced: true,
};
/** discovery.LabelServiceName: the Service a slice belongs to. */
const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

/** The `<ns>/<service>` key of the service a slice belongs to, if it names one. */
function owningService(slice: EndpointSlice): string | undefined {
  const name = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata?.namespace ?? ""}/${name}` : undefined;
}

/**
 * Keeps a Zone equal to what the Service and EndpointSlice informers hold.
 * Every event only names a service; `sync(key)` rebuilds that service's
 * records from the caches, so the order events arrive in never matters.
 * The slice → service map is kept here rather than as an informer index,
 * so the informers can be shared with consumers that asked for no index.
 */
export class ZoneSync {
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly slicesOf = new Map<string, Set<string>>();
  private readonly serviceOf = new Map<string, string>();

  constructor(
    informers: SharedInformerFactory,
    private readonly zone: Zone,
  ) {
    this.services = informers.informerFor<Service>(SERVICES);
    this.slices = informers.informerFor<EndpointSlice>(ENDPOINT_SLICES);
    this.services.addEventHandler({
      onAdd: (s) => this.sync(objectKey(s)),
      onUpdate: (_, s) => this.sync(objectKey(s)),
      onDelete: (s) => this.sync(objectKey(objectOf(s))),
    });
    this.slices.addEventHandler({
      onAdd: (s) => this.track(s),
      onUpdate: (_, s) => this.track(s),
      onDelete: (s) => this.untrack(s),
    });
  }

  /** Starts both informers (a no-op for ones already running) and waits for their first lists. */
  async start(): Promise<void> {
    this.services.start();
    this.slices.start();
    await Promise.all([this.services.waitForSync(), this.slices.waitForSync()]);
  }

  private track(slice: EndpointSlice): void {
    const key = objectKey(slice);
    const before = this.serviceOf.get(key);
    const now = owningService(slice);
    if (before !== now) {
      this.forget(key);
      if (now) {
        this.serviceOf.set(key, now);
        const set = this.slicesOf.get(now) ?? new Set<string>();
        this.slicesOf.set(now, set.add(key));
      }
      if (before) this.sync(before);
    }
    if (now) this.sync(now);
  }

  private untrack(obj: EndpointSlice | DeletedFinalStateUnknown<EndpointSlice>): void {
    const key = objectKey(objectOf(obj));
    const svc = this.serviceOf.get(key);
    this.forget(key);
    if (svc) this.sync(svc);
  }

  private forget(sliceKey: string): void {
    const svc = this.serviceOf.get(sliceKey);
    if (!svc) return;
    this.serviceOf.delete(sliceKey);
    const set = this.slicesOf.get(svc);
    set?.delete(sliceKey);
    if (set?.size === 0) this.slicesOf.delete(svc);
  }

  /** Rebuilds one service's records from the caches. */
  private sync(key: string): void {
    const service = this.services.store.get(key);
    if (!service) {
      this.zone.remove(key);
      return;
    }
    const slices: EndpointSlice[] = [];
    for (const k of this.slicesOf.get(key) ?? []) {
      const s = this.slices.store.get(k);
      if (s) slices.push(s);
    }
    this.zone.replace(key, serviceRecords({ service, slices }, this.zone.domain));
  }
}
