import type { Node, Service } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { NODES } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { handles, wantedStatus } from "./addresses.js";

const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true } as const;

/**
 * The built-in service load balancer (the role ServiceLB plays in k3s):
 * LoadBalancer Services get the Ready nodes' addresses in
 * status.loadBalancer.ingress; the service proxy on each node answers on
 * them. A node joining, leaving or turning NotReady updates every such
 * Service.
 */
export class ServiceLoadBalancerController implements RunnableController {
  private readonly controller: Controller;
  private readonly services: Informer<Service>;
  private readonly nodes: Informer<Node>;
  private readonly client: ResourceClient<Service>;

  constructor(ctx: ControllerContext) {
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.client = ctx.client(SERVICES);
    this.controller = new Controller({
      name: "service-lb-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.services.waitForSync();
        await this.nodes.waitForSync();
      },
      log: ctx.log,
    });
    const enqueue = (svc: Service) => this.controller.enqueue(objectKey(svc));
    this.services.addEventHandler({
      onAdd: enqueue,
      onUpdate: (old, svc) => {
        // Also when a Service stops being a LoadBalancer: its addresses go.
        if (handles(svc) || handles(old)) enqueue(svc);
      },
      onDelete: (svc) => enqueue(objectOf(svc)),
    });
    const everyLoadBalancer = () => {
      for (const svc of this.services.store.list()) if (handles(svc)) enqueue(svc);
    };
    this.nodes.addEventHandler({
      onAdd: everyLoadBalancer,
      onUpdate: everyLoadBalancer,
      onDelete: everyLoadBalancer,
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async sync(key: string): Promise<void> {
    const svc = this.services.store.get(key);
    if (!svc) return;
    const ingress = wantedStatus(svc, this.nodes.store.list());
    if (!ingress) return;
    const { namespace, name } = splitKey(key);
    try {
      await this.client.patch(
        name,
        { status: { loadBalancer: ingress.length ? { ingress } : {} } },
        { namespace, subresource: "status", type: "merge" },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
