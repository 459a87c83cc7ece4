/**
 * Upstream's CRD finalizer (apiextensions-apiserver
 * pkg/controller/finalizer/crd_finalizer.go): a CRD being deleted keeps
 * the customresourcecleanup.apiextensions.k8s.io finalizer until every
 * custom resource of it is gone. The Terminating condition tells how far
 * it is; the objects are removed from the store under the prefix the
 * generic handler stores them at (all namespaces); then the finalizer is
 * dropped and, with no finalizers left, the CRD itself goes.
 *
 * Upstream adds the finalizer in the CRD's REST delete; here the CRD
 * strategy adds it at creation (the generic delete marks objects with
 * finalizers for deletion and keeps them), with the same effect.
 */
import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER } from "../../api/defaults/apiextensions.js";
import type { ResourceDescriptor } from "../../api/resources.js";
import { ConflictError, KeyNotFoundError } from "../../storage/errors.js";
import type { Store } from "../../storage/types.js";
import { decodeObject } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import { crdKey, hasCondition } from "./registry.js";
import { CrdController, type CrdControllerOptions, setCondition, updateCrd } from "./status.js";

export { CUSTOM_RESOURCE_CLEANUP_FINALIZER };

/**
 * Deletes every object stored under the CRD's resource prefix; returns how
 * many went. A resource a built-in one also stores there is left alone.
 */
export async function deleteCustomResources(
  store: Store,
  crd: CustomResourceDefinition,
  builtins: readonly ResourceDescriptor[] = [],
): Promise<number> {
  const group = crd.spec.group;
  const plural = crd.spec.names.plural;
  if (builtins.some((d) => d.group === group && d.plural === plural)) return 0;
  const prefix = prefixFor({ group, plural });
  let deleted = 0;
  for (;;) {
    const page = await store.list(prefix, { limit: 500 });
    if (page.items.length === 0) return deleted;
    for (const kv of page.items) {
      try {
        await store.delete(kv.key);
        deleted++;
      } catch (err) {
        if (!(err instanceof KeyNotFoundError) && !(err instanceof ConflictError)) throw err;
      }
    }
  }
}

export type CrdCleanupControllerOptions = CrdControllerOptions;

/** Removes the custom resources of every CRD being deleted, then its finalizer. */
export class CrdCleanupController extends CrdController {
  protected get what(): string {
    return "CRD finalizer";
  }

  start(): void {
    this.registry.onDefinition((name) => {
      const crd = this.registry.definition(name);
      if (crd?.metadata?.deletionTimestamp && finalizing(crd)) this.queue.add(name);
    });
    for (const crd of this.registry.definitions()) {
      const name = crd.metadata?.name;
      if (name && crd.metadata?.deletionTimestamp && finalizing(crd)) this.queue.add(name);
    }
  }

  protected async sync(name: string): Promise<void> {
    const kv = await this.store.get(crdKey(name));
    if (!kv) return;
    let target: CustomResourceDefinition | undefined;
    // Terminating: deletion in progress (upstream's first status update).
    const marked = await updateCrd(this.store, name, (crd) => {
      if (!crd.metadata?.deletionTimestamp || !finalizing(crd)) return undefined;
      target = structuredClone(crd);
      const cond = crd.status?.conditions?.find((c) => c.type === "Terminating");
      if (cond?.status === "True" && cond.reason === "InstanceDeletionInProgress") return undefined;
      setCondition(
        crd,
        {
          type: "Terminating",
          status: "True",
          reason: "InstanceDeletionInProgress",
          message: "CustomResource deletion is in progress",
        },
        this.now(),
      );
      return crd;
    });
    if (marked) this.registry.observe(marked);
    if (target === undefined) return;
    const established = hasCondition(target, "Established");
    if (established) await deleteCustomResources(this.store, target, this.opts.builtins ?? []);
    const done = await updateCrd(this.store, name, (crd) => {
      if (!finalizing(crd)) return undefined;
      setCondition(
        crd,
        established
          ? {
              type: "Terminating",
              status: "False",
              reason: "InstanceDeletionCompleted",
              message: "removed all instances",
            }
          : {
              type: "Terminating",
              status: "False",
              reason: "NeverEstablished",
              message: "resource was never established",
            },
        this.now(),
      );
      const finalizers = (crd.metadata?.finalizers ?? []).filter(
        (f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER,
      );
      if (crd.metadata) {
        if (finalizers.length > 0) crd.metadata.finalizers = finalizers;
        else delete crd.metadata.finalizers;
      }
      return crd;
    });
    if (!done) return;
    this.registry.observe(done);
    // The last finalizer gone: the deletion completes (as the generic update path does).
    const finalized = decodeObject(done);
    if (
      finalized.metadata?.deletionTimestamp &&
      (finalized.metadata.finalizers ?? []).length === 0
    ) {
      try {
        await this.store.delete(crdKey(name), { expectedModRevision: done.modRevision });
      } catch (err) {
        if (!(err instanceof KeyNotFoundError) && !(err instanceof ConflictError)) throw err;
        // Changed since: whoever wrote it sees the same state and finishes the deletion.
      }
    }
    this.opts.log?.info("custom resources removed with their definition", { crd: name });
  }
}

function finalizing(crd: CustomResourceDefinition): boolean {
  return (crd.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
}
