/**
 * Empties a terminating namespace (upstream's namespacedResourcesDeleter
 * deleteAllContent): for every namespaced resource discovery lists (in
 * its preferred version), delete the collection — or each object when
 * deletecollection is not served — then list again to see what is left
 * and which finalizers hold it.
 */
import type { Namespace, Pod } from "kubernetes-types/core/v1.js";
import type { RestClient } from "../../client/rest/client.js";
import { isNotFound, StatusError } from "../../client/rest/errors.js";
import { type KubeObjectLike, ResourceClient } from "../../client/rest/resource.js";
import { type ApiResource, RestMapper, refOf } from "../garbagecollector/api-resources.js";
import { discoverResources } from "../garbagecollector/discovery.js";
import { type DeletionReport, remainingKey } from "./conditions.js";
import { podTerminationEstimate } from "./estimate.js";

/** Upstream's wait for objects held by finalizers (seconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;

/** Objects without finalizers survived deletion: something else is wrong. */
export class UnexpectedContentError extends Error {
  constructor(namespace: string, r: ApiResource) {
    super(
      `unexpected items still remain in namespace: ${namespace} for gvr: {${r.group} ${r.version} ${r.resource}}`,
    );
    this.name = "UnexpectedContentError";
  }
}

interface ObjectWithFinalizers extends KubeObjectLike {
  metadata?: KubeObjectLike["metadata"] & { finalizers?: string[] };
}

export interface ContentResult {
  /** Seconds until the remaining content is expected gone; 0 when nothing remains. */
  readonly estimateSeconds: number;
  readonly report: DeletionReport;
  readonly errors: readonly unknown[];
}

interface ResourceResult {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

/** 405 or 404: the verb is not served for this resource after all. */
const notSupported = (err: unknown) =>
  isNotFound(err) || (err instanceof StatusError && err.code === 405);

export class ContentDeleter {
  constructor(
    private readonly rest: RestClient,
    private readonly now: () => number,
  ) {}

  async deleteAllContent(ns: Namespace): Promise<ContentResult> {
    const name = ns.metadata?.name ?? "";
    const deletedAt = Date.parse(ns.metadata?.deletionTimestamp ?? "") || this.now();
    const errors: unknown[] = [];
    const contentErrors: string[] = [];
    let discoveryError: DeletionReport["discoveryError"];
    let resources: ApiResource[] = [];
    try {
      const found = await discoverResources(this.rest);
      resources = new RestMapper(found.resources).namespacedDeletable();
      if (found.error) {
        errors.push(found.error);
        discoveryError = { message: found.error.message, failedGroups: found.error.groups.size };
      }
    } catch (err) {
      // Discovery errors are not fatal: whatever was found is still emptied.
      errors.push(err);
      discoveryError = { message: err instanceof Error ? err.message : String(err) };
    }
    let estimate = 0;
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const r of resources) {
      try {
        const result = await this.deleteResource(r, { namespace: name, deletedAt });
        estimate = Math.max(estimate, result.estimate);
        if (result.remaining > 0) remaining.set(remainingKey(r), result.remaining);
        for (const [f, n] of result.finalizers) finalizers.set(f, (finalizers.get(f) ?? 0) + n);
      } catch (err) {
        // Keep going: one failing resource must not stop the others being emptied.
        errors.push(err);
        contentErrors.push(err instanceof Error ? err.message : String(err));
        if (err instanceof UnexpectedContentError) remaining.set(remainingKey(r), 1);
      }
    }
    return {
      estimateSeconds: estimate,
      report: {
        ...(discoveryError ? { discoveryError } : {}),
        contentErrors,
        remaining,
        finalizers,
      },
      errors,
    };
  }

  private async deleteResource(
    r: ApiResource,
    opts: { namespace: string; deletedAt: number },
  ): Promise<ResourceResult> {
    const client = new ResourceClient<ObjectWithFinalizers>(this.rest, refOf(r));
    const { namespace } = opts;
    const canList = r.verbs.includes("list");
    const estimate =
      r.group === "" && r.resource === "pods" && canList
        ? podTerminationEstimate((await client.list({ namespace })).items as Pod[], {
            namespaceDeletedAt: opts.deletedAt,
            now: this.now(),
          })
        : 0;

    if (
      !(r.verbs.includes("deletecollection") && (await this.deleteCollection(client, namespace)))
    ) {
      if (canList) await this.deleteEach(client, namespace);
    }
    if (!canList) return { estimate, remaining: 0, finalizers: new Map() };

    const left = (await client.list({ namespace })).items;
    if (left.length === 0) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const obj of left) {
      for (const f of obj.metadata?.finalizers ?? [])
        finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
    if (estimate > 0) return { estimate, remaining: left.length, finalizers };
    // Finalizers are expected to finish: give them a while before looking again.
    if (finalizers.size > 0)
      return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    throw new UnexpectedContentError(namespace, r);
  }

  /** DELETE on the collection; false when the server does not serve it. */
  private async deleteCollection(
    client: ResourceClient<ObjectWithFinalizers>,
    namespace: string,
  ): Promise<boolean> {
    try {
      await this.rest.request({
        method: "DELETE",
        path: client.path({ namespace }),
        // Background: the namespace controller removes everything anyway, never orphan.
        body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" },
      });
      return true;
    } catch (err) {
      if (notSupported(err)) return false;
      throw err;
    }
  }

  private async deleteEach(
    client: ResourceClient<ObjectWithFinalizers>,
    namespace: string,
  ): Promise<void> {
    const { items } = await client.list({ namespace });
    for (const obj of items) {
      try {
        await client.delete(obj.metadata?.name ?? "", {
          namespace,
          propagationPolicy: "Background",
        });
      } catch (err) {
        if (!notSupported(err)) throw err;
      }
    }
  }
}
