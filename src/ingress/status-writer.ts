/**
 * Writes status.loadBalancer.ingress on the Ingresses the controller
 * serves (and takes its address back from ones it stopped serving): a
 * level-triggered sync(key) on the shared work queue runner, re-reading
 * the Ingress and our IngressClass from the caches each time.
 */
import type { Ingress } from "kubernetes-types/networking/v1.js";
import { Controller } from "../client/controller/runner.js";
import { objectKey, splitKey } from "../client/informer/indexer.js";
import { objectOf } from "../client/informer/informer.js";
import type { RestClient } from "../client/rest/client.js";
import { ResourceClient } from "../client/rest/resource.js";
import type { Logger } from "../util/log.js";
import { servesIngress } from "./class.js";
import { type Caches, INGRESSES } from "./resources.js";
import { statusPatch } from "./status.js";

export class StatusWriter {
  private readonly controller: Controller;
  private readonly client: ResourceClient<Ingress>;

  constructor(
    rest: RestClient,
    private readonly opts: { caches: Caches; className: string; publishIp: string; log: Logger },
  ) {
    this.client = new ResourceClient<Ingress>(rest, INGRESSES);
    this.controller = new Controller({
      name: "ingress-status",
      sync: (key) => this.sync(key),
      waitForSync: async () => {},
      log: opts.log,
    });
    const { ingresses, classes } = opts.caches;
    const one = (ing: Ingress) => this.controller.enqueue(objectKey(ing));
    ingresses.addEventHandler({ onAdd: one, onUpdate: (_, ing) => one(ing) });
    // Our class turning default (or not) changes which class-less Ingresses are ours.
    const all = () => {
      for (const key of ingresses.store.keys()) this.controller.enqueue(key);
    };
    classes.addEventHandler({
      onAdd: all,
      onUpdate: all,
      onDelete: (c) => {
        if (objectOf(c).metadata?.name === opts.className) all();
      },
    });
  }

  /** Starts writing; call once the listeners are up, so the address published answers. */
  async run(): Promise<void> {
    await this.controller.run(1);
    for (const key of this.opts.caches.ingresses.store.keys()) this.controller.enqueue(key);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async sync(key: string): Promise<void> {
    const ing = this.opts.caches.ingresses.store.get(key);
    if (!ing) return;
    const ourClass = this.opts.caches.classes.store.get(this.opts.className);
    const serves = servesIngress(ing, { className: this.opts.className, ourClass });
    const patch = statusPatch(ing, { serves, publishIp: this.opts.publishIp });
    if (!patch) return;
    const { namespace, name } = splitKey(key);
    await this.client.patch(name, patch, { namespace, subresource: "status", type: "merge" });
    this.opts.log.info(serves ? "published address" : "withdrew address", {
      ingress: key,
      ip: this.opts.publishIp,
    });
  }
}
