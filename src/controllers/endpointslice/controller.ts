import type { Node, Pod, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isConflict } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { selectorFromSet } from "../../machinery/labels/index.js";
import { podInformer } from "../common/informers.js";
import { NODES } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { StaleInformerCacheError } from "./errors.js";
import { serviceSelector } from "./memberships.js";
import { planSlices } from "./reconcile.js";
import {
  ENDPOINT_SLICE_CONTROLLER,
  ENDPOINT_SLICES,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  SERVICES,
} from "./resources.js";
import { watchServicesAndPods } from "./service-pod-events.js";
import { EndpointSliceTracker, serviceKeyOf } from "./slice-tracker.js";
import { writeSlices } from "./slice-writer.js";
import { TriggerTimeTracker } from "./trigger-time.js";

/** Upstream's maxRetries: a service failing this often is dropped until its next event. */
const MAX_RETRIES = 15;
/** Upstream's endpointSliceChangeMinSyncDelay: slice events are batched for a second. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;

/**
 * Keeps discovery.k8s.io/v1 EndpointSlices for every Service with a
 * selector: one endpoint per serving pod, grouped by the ports the pod
 * serves, at most `maxEndpointsPerSlice` to a slice, written with as few
 * creates, updates and deletes as the reconcile can manage (upstream's
 * endpointslice controller). Slices it wrote and then sees again are not
 * re-synced; a cache behind its own writes makes it wait.
 */
export class EndpointSliceController implements RunnableController {
  private readonly controller: Controller;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly nodes: Informer<Node>;
  private readonly client: ResourceClient<EndpointSlice>;
  private readonly recorder: EventRecorder;
  private readonly maxEndpointsPerSlice: number | undefined;
  readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(
    ctx: ControllerContext,
    opts: {
      /** Upstream's --max-endpoints-per-slice (default 100). */
      maxEndpointsPerSlice?: number;
    } = {},
  ) {
    this.maxEndpointsPerSlice = opts.maxEndpointsPerSlice;
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.pods = podInformer(ctx);
    this.slices = ctx.informers.informerFor<EndpointSlice>(ENDPOINT_SLICES);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.client = ctx.client(ENDPOINT_SLICES);
    this.recorder = ctx.recorder("endpoint-slice-controller");
    this.controller = new Controller({
      name: "endpointslice-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all([
          this.services.waitForSync(),
          this.pods.waitForSync(),
          this.slices.waitForSync(),
          this.nodes.waitForSync(),
        ]);
      },
      maxRetries: MAX_RETRIES,
      log: ctx.log,
    });
    watchServicesAndPods({
      services: this.services,
      pods: this.pods,
      enqueue: (key) => this.controller.enqueue(key),
    });
    this.slices.addEventHandler({
      onAdd: (slice) => {
        if (this.managed(slice) && this.tracker.shouldSync(slice)) this.enqueueForSlice(slice);
      },
      onUpdate: (old, slice) => this.sliceUpdated(old, slice),
      onDelete: (obj) => {
        const slice = objectOf(obj);
        // A deletion we did not ask for: put the slice back.
        if (this.managed(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice))
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

  private managed(slice: EndpointSlice): boolean {
    return slice.metadata?.labels?.[LABEL_MANAGED_BY] === ENDPOINT_SLICE_CONTROLLER;
  }

  private enqueueForSlice(slice: EndpointSlice): void {
    const key = serviceKeyOf(slice);
    if (key !== undefined) this.controller.queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  private sliceUpdated(old: EndpointSlice, slice: EndpointSlice): void {
    if (serviceKeyOf(old) !== serviceKeyOf(slice)) {
      // Someone relabelled it to another service: both need a look.
      this.enqueueForSlice(slice);
      this.enqueueForSlice(old);
      return;
    }
    const managedChanged = this.managed(old) !== this.managed(slice);
    if (managedChanged || (this.managed(slice) && this.tracker.shouldSync(slice)))
      this.enqueueForSlice(slice);
  }

  /** This controller's slices of a service, as the cache has them. */
  private ownSlices(namespace: string, name: string): EndpointSlice[] {
    return this.slices.store
      .byIndex("namespace", namespace)
      .filter(
        (s) =>
          s.metadata?.labels?.[LABEL_SERVICE_NAME] === name &&
          s.metadata?.labels?.[LABEL_MANAGED_BY] === ENDPOINT_SLICE_CONTROLLER,
      );
  }

  async sync(key: string): Promise<void> {
    const service = this.services.store.get(key);
    const selector = service && serviceSelector(service);
    if (!service || !selector || service.spec?.type === "ExternalName") {
      await this.removeAll(key, service);
      return;
    }
    const { namespace, name } = splitKey(key);
    const labels = selectorFromSet(selector);
    const pods = this.pods.store
      .byIndex("namespace", namespace)
      .filter((p) => labels.matches(p.metadata?.labels ?? {}));
    const existing = this.ownSlices(namespace, name).filter((s) => !s.metadata?.deletionTimestamp);
    if (this.tracker.stale(key, existing))
      throw new StaleInformerCacheError(`EndpointSlice informer cache is out of date for ${key}`);
    // Computed on every sync so the tracker stays current even when nothing is written.
    const triggerTime = this.triggerTimes.compute(key, { service, pods });
    const plan = planSlices({
      service,
      pods,
      existing,
      nodeOf: (n) => this.nodes.store.get(n),
      controllerName: ENDPOINT_SLICE_CONTROLLER,
      ...(this.maxEndpointsPerSlice !== undefined
        ? { maxEndpointsPerSlice: this.maxEndpointsPerSlice }
        : {}),
    });
    let failure: unknown;
    try {
      await writeSlices(this.client, { owner: service, plan, tracker: this.tracker, triggerTime });
    } catch (err) {
      failure = err;
    }
    // Pods skipped for an unknown node: the rest is written, the sync retried.
    if (failure === undefined && plan.errors.length > 0)
      failure = new Error(plan.errors.join("; "));
    if (failure === undefined) return;
    if (!isConflict(failure)) this.failed(service, failure);
    throw failure;
  }

  /**
   * The service is gone or no longer selects pods (its endpoints are now
   * the user's, or mirrored): the slices this controller made would only
   * mislead, so they go too.
   */
  private async removeAll(key: string, service: Service | undefined): Promise<void> {
    const { namespace, name } = splitKey(key);
    this.triggerTimes.deleteService(key);
    await writeSlices(this.client, {
      owner: { metadata: { namespace, name } },
      plan: { create: [], update: [], delete: this.ownSlices(namespace, name) },
      tracker: this.tracker,
    });
    if (!service) this.tracker.deleteService(key);
  }

  private failed(service: Service, err: unknown): void {
    this.recorder.event(
      { ...service, apiVersion: "v1", kind: "Service" },
      {
        type: "Warning",
        reason: "FailedToUpdateEndpointSlices",
        message: `Error updating Endpoint Slices for Service ${objectKey(service)}: ${String(err)}`,
      },
    );
  }
}
