import type { Endpoints, Pod, Service } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { selectorFromSet } from "../../machinery/labels/index.js";
import { podInformer } from "../common/informers.js";
import { isNamespaceTerminating, StaleInformerCacheError } from "../endpointslice/errors.js";
import { serviceSelector } from "../endpointslice/memberships.js";
import { ANNOTATION_LEADER, ENDPOINTS, SERVICES } from "../endpointslice/resources.js";
import { watchServicesAndPods } from "../endpointslice/service-pod-events.js";
import { compareResourceVersions } from "../endpointslice/slice-tracker.js";
import { TriggerTimeTracker } from "../endpointslice/trigger-time.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { computeSubsets } from "./addresses.js";
import { decideEndpoints, isManagedEndpoints } from "./desired.js";

/** Upstream's maxRetries. */
const MAX_RETRIES = 15;

/**
 * Keeps a v1 Endpoints object, named after the Service, for every Service
 * with a selector (upstream's endpoint controller): its ready pods as
 * addresses, the others as notReadyAddresses, grouped into subsets by the
 * ports they serve. Services without a selector keep whatever Endpoints
 * their users write; Endpoints this controller made are removed when the
 * Service goes or stops selecting pods.
 */
export class EndpointsController implements RunnableController {
  private readonly controller: Controller;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly client: ResourceClient<Endpoints>;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new TriggerTimeTracker();
  /** resourceVersion of this controller's last write per key: a cache behind it is stale. */
  private readonly written = new Map<string, string>();

  constructor(ctx: ControllerContext) {
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.pods = podInformer(ctx);
    this.endpoints = ctx.informers.informerFor<Endpoints>(ENDPOINTS);
    this.client = ctx.client(ENDPOINTS);
    this.recorder = ctx.recorder("endpoint-controller");
    this.controller = new Controller({
      name: "endpoint-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all([
          this.services.waitForSync(),
          this.pods.waitForSync(),
          this.endpoints.waitForSync(),
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
    // Only deletions: Endpoints removed behind the controller's back are put back.
    this.endpoints.addEventHandler({
      onDelete: (obj) => {
        const key = objectKey(objectOf(obj));
        this.written.delete(key);
        this.controller.enqueue(key);
      },
    });
  }

  async run(workers: number): Promise<void> {
    await this.controller.run(workers);
    this.checkLeftoverEndpoints();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /**
   * Once at start: Endpoints this controller made whose Service went away
   * while it was not running get looked at (and deleted). Only its own —
   * an Endpoints without a Service may be somebody's deliberate object.
   */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpoints.store.list()) {
      if (ep.metadata?.annotations?.[ANNOTATION_LEADER] !== undefined) continue;
      if (isManagedEndpoints(ep)) this.controller.enqueue(objectKey(ep));
    }
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const service = this.services.store.get(key);
    if (!service) {
      // The service is gone: so are its endpoints.
      await this.client.delete(name, { namespace }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      this.forget(key);
      return;
    }
    const selector = serviceSelector(service);
    if (service.spec?.type === "ExternalName" || !selector) {
      await this.removeOwn(key);
      return;
    }
    const labels = selectorFromSet(selector);
    const pods = this.pods.store
      .byIndex("namespace", namespace)
      .filter((p) => labels.matches(p.metadata?.labels ?? {}));
    const current = this.endpoints.store.get(key);
    const written = this.written.get(key);
    if (
      written !== undefined &&
      (!current || compareResourceVersions(current.metadata?.resourceVersion, written) < 0)
    ) {
      throw new StaleInformerCacheError(`endpoints informer cache is out of date for ${key}`);
    }
    // Computed on every sync so the tracker's view stays current even when nothing is written.
    const triggerTime = this.triggerTimes.compute(key, { service, pods });
    const { subsets } = computeSubsets(service, pods);
    const decision = decideEndpoints(current, { service, subsets, triggerTime });
    if (decision.kind === "none") return;
    try {
      const result =
        decision.kind === "create"
          ? await this.client.create(decision.endpoints, { namespace })
          : await this.client.update(decision.endpoints, { namespace });
      if (result.metadata?.resourceVersion) this.written.set(key, result.metadata.resourceVersion);
    } catch (err) {
      if (decision.kind === "create" && isNamespaceTerminating(err)) return;
      if (!isConflict(err)) this.failed(decision, { key, err });
      throw err;
    }
  }

  /**
   * A service without a selector (or an ExternalName one) gets no
   * endpoints from this controller: Endpoints it made earlier go, the
   * user's own stay.
   */
  private async removeOwn(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const current = this.endpoints.store.get(key);
    this.triggerTimes.deleteService(key);
    if (!isManagedEndpoints(current)) return;
    await this.client
      .delete(name, { namespace, preconditions: { uid: current?.metadata?.uid ?? "" } })
      .catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
    this.written.delete(key);
  }

  private forget(key: string): void {
    this.triggerTimes.deleteService(key);
    this.written.delete(key);
  }

  private failed(
    decision: { kind: "create" | "update"; endpoints: Endpoints },
    what: { key: string; err: unknown },
  ): void {
    const create = decision.kind === "create";
    this.recorder.event(
      { ...decision.endpoints, apiVersion: "v1", kind: "Endpoints" },
      {
        type: "Warning",
        reason: create ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint",
        message: create
          ? `Failed to create endpoint for service ${what.key}: ${String(what.err)}`
          : `Failed to update endpoint ${what.key}: ${String(what.err)}`,
      },
    );
  }
}
