/**
 * The garbage collector's API calls on objects it knows only by identity
 * (apiVersion, kind, namespace, name, uid): the kind is mapped to its
 * resource through discovery, and every call checks the UID so an object
 * recreated under the same name is never touched.
 */
import type { RestClient } from "../../client/rest/client.js";
import { isConflict, isNotFound, StatusError } from "../../client/rest/errors.js";
import { type KubeObjectLike, ResourceClient } from "../../client/rest/resource.js";
import { type ApiResource, type RestMapper, refOf } from "./api-resources.js";
import type { Propagation } from "./decide.js";
import type { ObjectIdentity, OwnerReference } from "./identity.js";
import type { JsonPatchOp, LiveMeta } from "./patches.js";

/** An ownerReference's apiVersion/kind is not (or not yet) served: retry after the next discovery. */
export class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to map kind ${kind} in version ${apiVersion} to a resource`);
    this.name = "RestMappingError";
  }
}

/** A cluster-scoped object names a namespaced owner: never valid, so never retried. */
export class NamespacedOwnerOfClusterScopedError extends Error {
  constructor(readonly item: ObjectIdentity) {
    super(`cluster-scoped object ${item.kind} ${item.name} cannot refer to a namespaced owner`);
    this.name = "NamespacedOwnerOfClusterScopedError";
  }
}

/** The metadata of an object as the API server has it now. */
export interface LiveObject extends LiveMeta {
  readonly name: string;
  readonly resourceVersion: string;
  readonly beingDeleted: boolean;
  readonly ownerReferences: readonly OwnerReference[];
  readonly finalizers: readonly string[];
}

interface MetaObject extends KubeObjectLike {
  metadata?: KubeObjectLike["metadata"] & {
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
  };
}

function liveOf(obj: MetaObject): LiveObject {
  const m = obj.metadata ?? {};
  return {
    name: m.name ?? "",
    uid: m.uid ?? "",
    resourceVersion: m.resourceVersion ?? "",
    beingDeleted: m.deletionTimestamp !== undefined,
    ownerReferences: m.ownerReferences ?? [],
    finalizers: m.finalizers ?? [],
  };
}

/** A JSON patch whose `test` failed: the object changed since it was read. */
const isTestFailure = (err: unknown) => err instanceof StatusError && err.code === 422;

const PATCH_ATTEMPTS = 5;

const sameRefs = (a: readonly OwnerReference[], b: readonly OwnerReference[]) =>
  JSON.stringify(a) === JSON.stringify(b);

export class Operations {
  constructor(
    private readonly rest: RestClient,
    private readonly mapper: () => RestMapper,
  ) {}

  /** The resource an apiVersion/kind names (throws RestMappingError if none is served). */
  resourceFor(apiVersion: string, kind: string): ApiResource {
    const r = this.mapper().resourceFor(apiVersion, kind);
    if (!r) throw new RestMappingError(apiVersion, kind);
    return r;
  }

  private client(id: ObjectIdentity): { client: ResourceClient<MetaObject>; namespace: string } {
    const r = this.resourceFor(id.apiVersion, id.kind);
    return {
      client: new ResourceClient<MetaObject>(this.rest, refOf(r)),
      namespace: r.namespaced ? id.namespace : "",
    };
  }

  /** The object now, or undefined when it is gone or its name holds another UID. */
  async get(id: ObjectIdentity): Promise<LiveObject | undefined> {
    const { client, namespace } = this.client(id);
    try {
      const live = liveOf(await client.get(id.name, { namespace }));
      return live.uid === id.uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Deletes the object if it still has this UID. `seen` is the state the
   * decision was made on: if the object changed since, it is deleted only
   * if its ownerReferences did not (else throws the conflict to requeue).
   * Resolves false when the object is already gone.
   */
  async delete(
    id: ObjectIdentity,
    opts: { policy: Propagation; seen: LiveObject },
  ): Promise<boolean> {
    const { client, namespace } = this.client(id);
    const attempt = (resourceVersion?: string) =>
      client.delete(id.name, {
        namespace,
        propagationPolicy: opts.policy,
        preconditions: { uid: id.uid, ...(resourceVersion ? { resourceVersion } : {}) },
      });
    try {
      await attempt(opts.seen.resourceVersion || undefined);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!isConflict(err)) throw err;
      const now = await this.get(id);
      if (!now) return false;
      if (!sameRefs(now.ownerReferences, opts.seen.ownerReferences)) throw err;
    }
    try {
      await attempt();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Reads the object and applies the JSON patch `edit` computes from it
   * (nothing when it returns undefined), again if the object changed
   * under the patch. Resolves false when the object is gone.
   */
  async patch(
    id: ObjectIdentity,
    edit: (live: LiveObject) => JsonPatchOp[] | undefined,
  ): Promise<boolean> {
    const { client, namespace } = this.client(id);
    for (let attempt = 1; ; attempt++) {
      const live = await this.get(id);
      if (!live) return false;
      const ops = edit(live);
      if (!ops) return true;
      try {
        await client.patch(id.name, ops, { namespace, type: "json" });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!(isTestFailure(err) || isConflict(err)) || attempt >= PATCH_ATTEMPTS) throw err;
      }
    }
  }
}
