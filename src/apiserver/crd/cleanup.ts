/**
 * Upstream's CRD finalizer (apiextensions-apiserver
 * pkg/controller/finalizer/crd_finalizer.go): a CRD being deleted keeps
 * the customresourcecleanup.apiextensions.k8s.io finalizer until every
 * custom resource of it is gone. The Terminating condition tells how far
 * it is. Each object (all namespaces) is deleted through the API server's
 * own delete (registry/delete.ts, as upstream's DeleteCollection): one
 * with finalizers is only marked and stays until they are removed, and
 * the CRD waits for it (requeued; Terminating InstanceDeletionCheck
 * "could not confirm zero CustomResources remaining: ..."). Once none is
 * left the finalizer is dropped and, with no finalizers left, the CRD
 * itself goes.
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
import type { RegistryContext, UserInfo } from "../registry/context.js";
import { deleteObject } from "../registry/delete.js";
import { prefixFor } from "../registry/keys.js";
import { ApiError } from "../status.js";
import { crdKey, hasCondition, servedVersions } from "./registry.js";
import {
  CrdController,
  type CrdControllerOptions,
  findCondition,
  setCondition,
  updateCrd,
} from "./status.js";

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

/** Who deletes the custom resources (upstream: the API server's loopback client). */
export const CRD_FINALIZER_USER: UserInfo = {
  name: "system:apiserver",
  groups: ["system:masters", "system:authenticated"],
};

/** Upstream's wait.ErrWaitTimeout, what its poll for zero instances reports. */
const WAIT_TIMEOUT = "timed out waiting for the condition";

/**
 * The descriptor of the CRD's storage version, served or not (what the
 * generic delete needs: group, kind, plural, scope).
 */
export function storageDescriptor(crd: CustomResourceDefinition): ResourceDescriptor | undefined {
  const all = {
    ...crd,
    spec: { ...crd.spec, versions: crd.spec.versions.map((v) => ({ ...v, served: true })) },
  };
  const versions = servedVersions(all);
  return (versions.find((v) => v.version.name === v.storageVersion) ?? versions[0])?.descriptor;
}

export interface CrdCleanupControllerOptions extends CrdControllerOptions {
  /**
   * The API server's registry context: custom resources are deleted
   * through it (finalizers, admission, onDeleted, watch events). Without
   * it (or before it exists) they are removed from the store directly.
   */
  readonly registryContext?: () => RegistryContext;
  /** How long to wait before looking again while objects remain (default 1 s). */
  readonly recheckMs?: number;
}

/** Instance deletion's outcome, as upstream's deleteInstances condition. */
interface DeletionOutcome {
  readonly reason: "InstanceDeletionCompleted" | "InstanceDeletionFailed" | "InstanceDeletionCheck";
  readonly message: string;
}

/** Removes the custom resources of every CRD being deleted, then its finalizer. */
export class CrdCleanupController extends CrdController {
  private readonly rechecks = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    store: Store,
    registry: ConstructorParameters<typeof CrdController>[1],
    protected override readonly opts: CrdCleanupControllerOptions = {},
  ) {
    super(store, registry, opts);
  }

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

  override stop(): Promise<void> {
    for (const t of this.rechecks) clearTimeout(t);
    this.rechecks.clear();
    return super.stop();
  }

  protected async sync(name: string): Promise<void> {
    const kv = await this.store.get(crdKey(name));
    if (!kv) return;
    let target: CustomResourceDefinition | undefined;
    // Terminating: deletion in progress (upstream's first status update).
    const marked = await updateCrd(this.store, name, (crd) => {
      if (!crd.metadata?.deletionTimestamp || !finalizing(crd)) return undefined;
      target = structuredClone(crd);
      const cond = findCondition(crd, "Terminating");
      // Already terminating (a later pass of the same deletion): left as it is.
      if (cond?.status === "True") return undefined;
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
    if (established) {
      const outcome = await this.deleteInstances(target);
      if (outcome === undefined) {
        // The API server is still starting: nothing deleted yet.
        this.recheck(name);
        return;
      }
      if (outcome.reason !== "InstanceDeletionCompleted") {
        // Objects remain (finalizers) or a delete failed: say so, look again later.
        const noted = await updateCrd(this.store, name, (crd) => {
          if (!finalizing(crd)) return undefined;
          const cond = findCondition(crd, "Terminating");
          if (
            cond?.status === "True" &&
            cond.reason === outcome.reason &&
            cond.message === outcome.message
          ) {
            return undefined;
          }
          setCondition(crd, { type: "Terminating", status: "True", ...outcome }, this.now());
          return crd;
        });
        if (noted) this.registry.observe(noted);
        this.recheck(name);
        return;
      }
    }
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

  /**
   * Upstream's deleteInstances: a delete for every object (all
   * namespaces), then whether none is left.
   */
  private async deleteInstances(
    crd: CustomResourceDefinition,
  ): Promise<DeletionOutcome | undefined> {
    const builtins = this.opts.builtins ?? [];
    const group = crd.spec.group;
    const plural = crd.spec.names.plural;
    if (builtins.some((d) => d.group === group && d.plural === plural)) {
      return { reason: "InstanceDeletionCompleted", message: "removed all instances" };
    }
    const ctx = this.context();
    if (ctx === null) return undefined;
    const d = storageDescriptor(crd);
    if (ctx === undefined || d === undefined) {
      await deleteCustomResources(this.store, crd, builtins);
    } else {
      const prefix = prefixFor({ group, plural });
      let items: Awaited<ReturnType<Store["list"]>>["items"];
      try {
        items = (await this.store.list(prefix)).items;
      } catch (err) {
        return {
          reason: "InstanceDeletionFailed",
          message: `could not list instances: ${text(err)}`,
        };
      }
      const failures: string[] = [];
      for (const kv of items) {
        const meta = decodeObject(kv).metadata;
        const name = meta?.name;
        if (!name) continue;
        try {
          await deleteObject(
            ctx,
            { d, strategy: ctx.hooks.strategyFor(d.group, d.version, d.kind) },
            {
              namespace: meta.namespace ?? "",
              name,
              options: {},
              dryRun: false,
              user: CRD_FINALIZER_USER,
            },
          );
        } catch (err) {
          if (err instanceof ApiError && err.status.code === 404) continue;
          failures.push(text(err));
        }
      }
      if (failures.length > 0) {
        return {
          reason: "InstanceDeletionFailed",
          message: `could not issue all deletes: ${failures.join(", ")}`,
        };
      }
    }
    const left = await this.store.list(prefixFor({ group, plural }), { limit: 1 });
    if (left.items.length > 0) {
      return {
        reason: "InstanceDeletionCheck",
        message: `could not confirm zero CustomResources remaining: ${WAIT_TIMEOUT}`,
      };
    }
    return { reason: "InstanceDeletionCompleted", message: "removed all instances" };
  }

  /** The registry context (undefined: none given; null: not defined yet, at startup). */
  private context(): RegistryContext | undefined | null {
    if (this.opts.registryContext === undefined) return undefined;
    try {
      return this.opts.registryContext();
    } catch {
      return null;
    }
  }

  private recheck(name: string): void {
    const t = setTimeout(() => {
      this.rechecks.delete(t);
      this.queue.add(name);
    }, this.opts.recheckMs ?? 1000);
    t.unref();
    this.rechecks.add(t);
  }
}

const text = (err: unknown) => (err instanceof Error ? err.message : String(err));

function finalizing(crd: CustomResourceDefinition): boolean {
  return (crd.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
}
