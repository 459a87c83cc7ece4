import type { Endpoints, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { StaleInformerCacheError } from "../endpointslice/errors.js";
import { serviceSelector } from "../endpointslice/memberships.js";
import {
  ENDPOINT_SLICES,
  ENDPOINTS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  SERVICES,
} from "../endpointslice/resources.js";
import { EndpointSliceTracker, serviceKeyOf } from "../endpointslice/slice-tracker.js";
import { writeSlices } from "../endpointslice/slice-writer.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { MAX_ENDPOINTS_PER_SUBSET, MIRRORING_CONTROLLER, shouldMirror } from "./mirror.js";
import { planMirror } from "./plan.js";

/** Upstream's maxRetries. */
const MAX_RETRIES = 15;

const hasSelector = (svc: Service) => serviceSelector(svc) !== undefined;

/**
 * Mirrors the Endpoints of Services without a selector — the ones users
 * write by hand — into EndpointSlices (upstream's endpointslicemirroring
 * controller), so consumers of slices see them too. Endpoints labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` are left alone;
 * mirrored slices go when the Endpoints, the Service or its lack of a
 * selector goes.
 */
export class EndpointSliceMirroringController implements RunnableController {
  private readonly controller: Controller;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly client: ResourceClient<EndpointSlice>;
  private readonly recorder: EventRecorder;
  readonly tracker = new EndpointSliceTracker();

  constructor(ctx: ControllerContext) {
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.endpoints = ctx.informers.informerFor<Endpoints>(ENDPOINTS);
    this.slices = ctx.informers.informerFor<EndpointSlice>(ENDPOINT_SLICES);
    this.client = ctx.client(ENDPOINT_SLICES);
    this.recorder = ctx.recorder("endpoint-slice-mirroring-controller");
    this.controller = new Controller({
      name: "endpointslicemirroring-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all([
          this.services.waitForSync(),
          this.endpoints.waitForSync(),
          this.slices.waitForSync(),
        ]);
      },
      maxRetries: MAX_RETRIES,
      log: ctx.log,
    });
    const enqueue = (obj: { metadata?: { namespace?: string; name?: string } }) =>
      this.controller.enqueue(objectKey(obj));
    this.services.addEventHandler({
      onAdd: (svc) => {
        if (!hasSelector(svc)) enqueue(svc);
      },
      onUpdate: (old, svc) => {
        if (hasSelector(old) !== hasSelector(svc)) enqueue(svc);
      },
      onDelete: (obj) => {
        const svc = objectOf(obj);
        if (!hasSelector(svc)) enqueue(svc);
      },
    });
    this.endpoints.addEventHandler({
      onAdd: (ep) => {
        if (shouldMirror(ep)) enqueue(ep);
      },
      onUpdate: (old, ep) => {
        if (shouldMirror(old) || shouldMirror(ep)) enqueue(ep);
      },
      onDelete: (obj) => {
        const ep = objectOf(obj);
        if (shouldMirror(ep)) enqueue(ep);
      },
    });
    this.slices.addEventHandler({
      onAdd: (slice) => {
        if (this.mirrored(slice) && this.tracker.shouldSync(slice)) this.enqueueForSlice(slice);
      },
      onUpdate: (old, slice) => {
        if (serviceKeyOf(old) !== serviceKeyOf(slice)) {
          this.enqueueForSlice(slice);
          this.enqueueForSlice(old);
          return;
        }
        const changed = this.mirrored(old) !== this.mirrored(slice);
        if (changed || (this.mirrored(slice) && this.tracker.shouldSync(slice)))
          this.enqueueForSlice(slice);
      },
      onDelete: (obj) => {
        const slice = objectOf(obj);
        if (this.mirrored(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice))
          this.enqueueForSlice(slice);
      },
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private mirrored(slice: EndpointSlice): boolean {
    return slice.metadata?.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER;
  }

  private enqueueForSlice(slice: EndpointSlice): void {
    const key = serviceKeyOf(slice);
    if (key !== undefined) this.controller.enqueue(key);
  }

  private mirroredSlices(namespace: string, name: string): EndpointSlice[] {
    return this.slices.store
      .byIndex("namespace", namespace)
      .filter(
        (s) =>
          s.metadata?.labels?.[LABEL_SERVICE_NAME] === name &&
          s.metadata?.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER,
      );
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const endpoints = this.endpoints.store.get(key);
    const service = this.services.store.get(key);
    if (!endpoints || !shouldMirror(endpoints) || !service || hasSelector(service)) {
      await this.deleteMirrored(key);
      return;
    }
    const existing = this.mirroredSlices(namespace, name);
    if (this.tracker.stale(key, existing))
      throw new StaleInformerCacheError(`EndpointSlice informer cache is out of date for ${key}`);
    const plan = planMirror(endpoints, { existing });
    this.report(endpoints, plan);
    await writeSlices(this.client, { owner: endpoints, plan, tracker: this.tracker });
  }

  private async deleteMirrored(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const slices = this.mirroredSlices(namespace, name);
    this.tracker.deleteService(key);
    if (slices.length === 0) return;
    await writeSlices(this.client, {
      owner: { metadata: { namespace, name } },
      plan: { create: [], update: [], delete: slices },
      tracker: this.tracker,
    });
  }

  /** Events on the Endpoints for what could not be mirrored. */
  private report(endpoints: Endpoints, plan: { invalid: number; skipped: number }): void {
    const ref = { ...endpoints, apiVersion: "v1", kind: "Endpoints" };
    if (plan.invalid > 0) {
      this.recorder.event(ref, {
        type: "Warning",
        reason: "InvalidIPAddress",
        message: `Skipped ${plan.invalid} invalid IP addresses when mirroring to EndpointSlices`,
      });
    }
    if (plan.skipped > plan.invalid) {
      this.recorder.event(ref, {
        type: "Warning",
        reason: "TooManyAddressesToMirror",
        message: `A max of ${MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skipped} addresses were skipped`,
      });
    }
  }
}
