import type { Namespace, ServiceAccount } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import { objectKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import { isAlreadyExists, StatusError } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { NAMESPACES, SERVICE_ACCOUNTS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { missingServiceAccounts } from "./missing.js";

export interface ServiceAccountControllerOptions {
  /** The service accounts every active namespace gets (default: `default`). */
  readonly serviceAccounts?: readonly string[];
}

/** The create failed because the namespace started terminating meanwhile. */
function namespaceTerminating(err: unknown): boolean {
  return (
    err instanceof StatusError &&
    (err.status.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating")
  );
}

/**
 * Makes sure every active namespace has its `default` ServiceAccount
 * (upstream pkg/controller/serviceaccount): a new namespace gets one, and
 * one deleted is created again. Keys are namespace names.
 */
export class ServiceAccountController implements RunnableController {
  private readonly controller: Controller;
  private readonly namespaces: Informer<Namespace>;
  private readonly accounts: Informer<ServiceAccount>;
  private readonly client: ResourceClient<ServiceAccount>;
  private readonly wanted: readonly string[];

  constructor(ctx: ControllerContext, opts: ServiceAccountControllerOptions = {}) {
    this.wanted = opts.serviceAccounts ?? ["default"];
    this.namespaces = ctx.informers.informerFor<Namespace>(NAMESPACES);
    this.accounts = ctx.informers.informerFor<ServiceAccount>(SERVICE_ACCOUNTS);
    this.client = ctx.client(SERVICE_ACCOUNTS);
    this.controller = new Controller({
      name: "serviceaccount-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.namespaces.waitForSync();
        await this.accounts.waitForSync();
      },
      log: ctx.log,
    });
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.controller.enqueue(ns.metadata?.name ?? ""),
      onUpdate: (_old, ns) => this.controller.enqueue(ns.metadata?.name ?? ""),
    });
    this.accounts.addEventHandler({
      onDelete: (sa: ServiceAccount | DeletedFinalStateUnknown<ServiceAccount>) => {
        const ns = objectOf(sa).metadata?.namespace;
        if (ns) this.controller.enqueue(ns);
      },
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.get(namespace);
    if (!ns) return;
    const existing = new Set(
      this.wanted.filter((name) =>
        this.accounts.store.get(objectKey({ metadata: { namespace, name } })),
      ),
    );
    const missing = missingServiceAccounts({
      phase: ns.status?.phase,
      wanted: this.wanted,
      existing,
    });
    for (const name of missing) {
      try {
        await this.client.create({ metadata: { name, namespace } }, { namespace });
      } catch (err) {
        // Created meanwhile, or the namespace began terminating: nothing to do.
        if (isAlreadyExists(err) || namespaceTerminating(err)) continue;
        throw err;
      }
    }
  }
}
