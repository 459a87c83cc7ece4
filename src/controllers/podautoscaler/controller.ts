/**
 * The horizontal pod autoscaler controller (upstream's podautoscaler):
 * every sync period each HPA is reconciled against its target's /scale
 * and the pods' resource metrics from metrics.k8s.io. Like upstream, a key
 * comes back one period after every sync whatever happened, so errors are
 * retried at the period, not with backoff.
 */
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { podInformer } from "../common/informers.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { Autoscaler, type AutoscalerDeps, type Scale, type ScaleTarget } from "./autoscaler.js";
import { DEFAULT_CALCULATOR_OPTIONS } from "./replica-calculator.js";
import type { PodMetricsList } from "./resource-metrics.js";

export const HPA_COMPONENT = "horizontal-pod-autoscaler";

const HPAS = {
  group: "autoscaling",
  version: "v2",
  resource: "horizontalpodautoscalers",
  namespaced: true,
} as const;

export interface HorizontalPodAutoscalerControllerOptions {
  /** How often each HPA is reconciled (--horizontal-pod-autoscaler-sync-period, 15 s). */
  readonly syncPeriodMs?: number;
  /** Scale-down stabilization without spec.behavior (--horizontal-pod-autoscaler-downscale-stabilization, 5 min). */
  readonly downscaleStabilizationMs?: number;
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  readonly tolerance?: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  readonly cpuInitializationPeriodMs?: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  readonly initialReadinessDelayMs?: number;
}

export class HorizontalPodAutoscalerController implements RunnableController {
  private readonly controller: Controller;
  private readonly hpas: Informer<HorizontalPodAutoscaler>;
  private readonly pods: Informer<Pod>;
  private readonly hpaClient: ResourceClient<HorizontalPodAutoscaler>;
  private readonly recorder: EventRecorder;
  private readonly autoscaler: Autoscaler;
  private readonly syncPeriodMs: number;

  constructor(
    private readonly ctx: ControllerContext,
    opts: HorizontalPodAutoscalerControllerOptions = {},
  ) {
    this.syncPeriodMs = opts.syncPeriodMs ?? 15_000;
    this.hpas = ctx.informers.informerFor<HorizontalPodAutoscaler>(HPAS);
    this.pods = podInformer(ctx);
    this.hpaClient = ctx.client(HPAS);
    this.recorder = ctx.recorder(HPA_COMPONENT);
    this.autoscaler = new Autoscaler(this.deps(), {
      downscaleStabilizationMs: opts.downscaleStabilizationMs ?? 5 * 60_000,
      calculator: {
        tolerance: opts.tolerance ?? DEFAULT_CALCULATOR_OPTIONS.tolerance,
        cpuInitializationPeriodMs:
          opts.cpuInitializationPeriodMs ?? DEFAULT_CALCULATOR_OPTIONS.cpuInitializationPeriodMs,
        delayOfInitialReadinessStatusMs:
          opts.initialReadinessDelayMs ??
          DEFAULT_CALCULATOR_OPTIONS.delayOfInitialReadinessStatusMs,
      },
    });
    this.controller = new Controller({
      name: HPA_COMPONENT,
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.hpas.waitForSync();
        await this.pods.waitForSync();
      },
      log: ctx.log,
    });
    this.hpas.addEventHandler({
      // A new HPA is looked at at once (upstream waits one period).
      onAdd: (hpa) => this.controller.enqueue(objectKey(hpa)),
      // Changes wait for the period, as upstream, so the controller's own
      // status writes do not make it act twice on the same metrics.
      onUpdate: (_old, hpa) => this.controller.queue.addAfter(objectKey(hpa), this.syncPeriodMs),
      onDelete: (obj) => this.autoscaler.forget(objectKey(objectOf(obj))),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const hpa = this.hpas.store.get(key);
    if (!hpa) {
      this.autoscaler.forget(key);
      return undefined;
    }
    try {
      await this.autoscaler.reconcile(hpa);
    } catch (err) {
      this.ctx.log.warn("horizontal pod autoscaler sync failed", { key, err: String(err) });
    }
    return new RequeueAfter(this.syncPeriodMs);
  }

  private deps(): AutoscalerDeps {
    const rest = this.ctx.rest;
    const scalePath = (t: ScaleTarget) => {
      const { group, version, resource } = t.resource;
      const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
      return `${base}/namespaces/${encodeURIComponent(t.namespace)}/${resource}/${encodeURIComponent(t.name)}/scale`;
    };
    return {
      getScale: (t) => rest.request<Scale>({ method: "GET", path: scalePath(t) }),
      updateScale: async (t, scale) => {
        await rest.request({ method: "PUT", path: scalePath(t), body: scale });
      },
      pods: ({ namespace, selector }) =>
        this.pods.store
          .byIndex("namespace", namespace)
          .filter((p) => selector.matches(p.metadata?.labels ?? {})),
      podMetrics: ({ namespace, selector }) =>
        rest
          .request<PodMetricsList>({
            method: "GET",
            path: `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`,
            query: { labelSelector: selector },
          })
          .catch((err: unknown) => {
            throw new Error(
              `unable to fetch metrics from resource metrics API: ${String(err instanceof Error ? err.message : err)}`,
            );
          }),
      writeStatus: async (hpa) => {
        await this.hpaClient.updateStatus(hpa, { namespace: splitKey(objectKey(hpa)).namespace });
      },
      event: (hpa, e) => this.recorder.event(hpa, e),
      now: () => this.ctx.clock.now(),
    };
  }
}
