import type { ConfigMap, Namespace } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import { objectKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import { isAlreadyExists, isNotFound, StatusError } from "../../client/rest/errors.js";
import type { ResourceClient, ResourceRef } from "../../client/rest/resource.js";
import { NAMESPACES } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { ROOT_CA_CONFIG_MAP, rootCAAction } from "./desired.js";

const CONFIG_MAPS: ResourceRef = {
  group: "",
  version: "v1",
  resource: "configmaps",
  namespaced: true,
};

export interface RootCACertPublisherOptions {
  /** The CA bundle to publish (upstream --root-ca-file). Default: the CA the controller manager trusts the API server with. */
  readonly rootCA?: string;
}

/** The create failed because the namespace is gone or terminating: nothing to publish into. */
function namespaceUnavailable(err: unknown): boolean {
  return (
    isNotFound(err) ||
    (err instanceof StatusError &&
      (err.status.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating"))
  );
}

/**
 * Upstream's root CA certificate publisher (pkg/controller/certificates/
 * rootcacertpublisher): every namespace gets the ConfigMap
 * `kube-root-ca.crt` with the cluster CA under `ca.crt`, which the
 * kube-api-access volumes of pods project. Edits and deletions are undone.
 * Keys are namespace names.
 */
export class RootCACertPublisher implements RunnableController {
  private readonly controller: Controller;
  private readonly namespaces: Informer<Namespace>;
  private readonly configMaps: Informer<ConfigMap>;
  private readonly client: ResourceClient<ConfigMap>;
  private readonly rootCA: string;

  constructor(ctx: ControllerContext, opts: RootCACertPublisherOptions = {}) {
    const rootCA = opts.rootCA ?? ctx.rest.config.ca?.toString("utf8") ?? "";
    if (rootCA === "")
      throw new Error("root-ca-cert-publisher needs a root CA: the client config has none");
    this.rootCA = rootCA;
    this.namespaces = ctx.informers.informerFor<Namespace>(NAMESPACES);
    this.configMaps = ctx.informers.informerFor<ConfigMap>(CONFIG_MAPS);
    this.client = ctx.client(CONFIG_MAPS);
    this.controller = new Controller({
      name: "root-ca-cert-publisher",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await this.namespaces.waitForSync();
        await this.configMaps.waitForSync();
      },
      log: ctx.log,
    });
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.controller.enqueue(ns.metadata?.name ?? ""),
      onUpdate: (_old, ns) => {
        if (ns.status?.phase === "Active") this.controller.enqueue(ns.metadata?.name ?? "");
      },
    });
    const ours = (cm: ConfigMap | DeletedFinalStateUnknown<ConfigMap>) => {
      const meta = objectOf(cm).metadata;
      if (meta?.name === ROOT_CA_CONFIG_MAP && meta.namespace)
        this.controller.enqueue(meta.namespace);
    };
    this.configMaps.addEventHandler({ onUpdate: (_old, cm) => ours(cm), onDelete: ours });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp) return;
    const existing = this.configMaps.store.get(
      objectKey({ metadata: { namespace, name: ROOT_CA_CONFIG_MAP } }),
    );
    const action = rootCAAction({ namespace, existing, rootCA: this.rootCA });
    if (action.kind === "create") {
      try {
        await this.client.create(action.configMap, { namespace });
      } catch (err) {
        // Made meanwhile (the informer will show it), or nowhere to make it.
        if (isAlreadyExists(err) || namespaceUnavailable(err)) return;
        throw err;
      }
    } else if (action.kind === "update") {
      await this.client.update(action.configMap, { namespace });
    }
  }
}
