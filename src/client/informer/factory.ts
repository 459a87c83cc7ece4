import type { RestClient } from "../rest/client.js";
import { type KubeObjectLike, ResourceClient, type ResourceRef } from "../rest/resource.js";
import type { Clock } from "../util/clock.js";
import { byNamespace, type IndexFunc } from "./indexer.js";
import { Informer } from "./informer.js";

/**
 * One informer per resource (and selector) per process, however many
 * consumers ask: client-go's SharedInformerFactory. Every informer carries
 * the namespace index.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObjectLike>>();
  private started = false;

  constructor(
    private readonly rest: RestClient,
    private readonly opts: { resyncPeriodMs?: number; clock?: Clock; namespace?: string } = {},
  ) {}

  /**
   * The shared informer of a resource. `indexers` are added on first
   * request (later requests must not ask for different ones).
   */
  informerFor<T extends KubeObjectLike>(
    ref: ResourceRef,
    opts: {
      indexers?: Record<string, IndexFunc<T>>;
      labelSelector?: string;
      fieldSelector?: string;
    } = {},
  ): Informer<T> {
    const id = `${ref.group}/${ref.version}/${ref.resource}?${opts.labelSelector ?? ""}&${opts.fieldSelector ?? ""}`;
    let informer = this.informers.get(id) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>(new ResourceClient<T>(this.rest, ref), {
        indexers: { namespace: byNamespace as IndexFunc<T>, ...(opts.indexers ?? {}) },
        ...(this.opts.resyncPeriodMs ? { resyncPeriodMs: this.opts.resyncPeriodMs } : {}),
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        ...(this.opts.namespace ? { namespace: this.opts.namespace } : {}),
        ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
        ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      });
      this.informers.set(id, informer as unknown as Informer<KubeObjectLike>);
      if (this.started) informer.start();
    }
    return informer;
  }

  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
