import type { ClusterRole } from "kubernetes-types/rbac/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { Informer } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient, ResourceRef } from "../../client/rest/resource.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { aggregatedRules, sameRules } from "./aggregate.js";

export const CLUSTER_ROLES: ResourceRef = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  resource: "clusterroles",
  namespaced: false,
};

/**
 * Upstream's ClusterRole aggregation controller (pkg/controller/
 * clusterroleaggregation): a ClusterRole with an aggregationRule gets as
 * rules the union of the rules of the ClusterRoles its selectors match
 * (this is how `admin`, `edit` and `view` are filled). Any ClusterRole
 * change re-checks every aggregated one. Keys are ClusterRole names.
 */
export class ClusterRoleAggregationController implements RunnableController {
  private readonly controller: Controller;
  private readonly roles: Informer<ClusterRole>;
  private readonly client: ResourceClient<ClusterRole>;

  constructor(ctx: ControllerContext) {
    this.roles = ctx.informers.informerFor<ClusterRole>(CLUSTER_ROLES);
    this.client = ctx.client(CLUSTER_ROLES);
    this.controller = new Controller({
      name: "clusterrole-aggregation",
      sync: (key) => this.sync(key),
      waitForSync: () => this.roles.waitForSync(),
      log: ctx.log,
    });
    // A change to any role can change what any aggregated role selects.
    const all = () => this.enqueueAggregated();
    this.roles.addEventHandler({ onAdd: all, onUpdate: all, onDelete: all });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueueAggregated(): void {
    for (const r of this.roles.store.list())
      if (r.aggregationRule) this.controller.enqueue(r.metadata?.name ?? "");
  }

  async sync(name: string): Promise<void> {
    const role = this.roles.store.get(name);
    if (!role) return;
    const rules = aggregatedRules(role, this.roles.store.list());
    if (rules === undefined || sameRules(rules, role.rules)) return;
    try {
      // A conflict (the role changed meanwhile) is retried by the runner.
      await this.client.update({ ...role, rules });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
