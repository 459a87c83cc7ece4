import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import { isAlreadyExists, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { newRevision, type RevisionParent } from "./revision.js";

/** Gives up on a revision name after this many collisions (each one a different stored revision). */
const MAX_COLLISIONS = 10;

/** A name kept colliding with revisions holding other data. */
export class RevisionCollisionError extends Error {
  constructor(
    readonly revisionName: string,
    options?: ErrorOptions,
  ) {
    super(`controller revision name ${revisionName} keeps colliding`, options);
  }
}

/**
 * Saves a new revision of `parent` (upstream's CreateControllerRevision).
 * When the name is taken by a revision with the same data, that one is
 * it; when taken by other data, the collision count goes up (changing the
 * hash and so the name) and it tries again. Returns the stored revision
 * and the collision count the owner must remember in its status.
 */
export async function createRevision(
  client: ResourceClient<ControllerRevision>,
  opts: {
    parent: RevisionParent;
    gvk: { apiVersion: string; kind: string };
    revision: number;
    collisionCount: number;
    /** Whether an existing revision holds the same state (compared per owner kind). */
    same: (a: ControllerRevision, b: ControllerRevision) => boolean;
  },
): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  const namespace = opts.parent.metadata?.namespace ?? "";
  let collisionCount = opts.collisionCount;
  for (let attempt = 0; ; attempt++) {
    const rev = newRevision(opts.parent, {
      gvk: opts.gvk,
      revision: opts.revision,
      collisionCount,
    });
    const name = rev.metadata?.name ?? "";
    try {
      return { revision: await client.create(rev, { namespace }), collisionCount };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get(name, { namespace });
      if (opts.same(existing, rev)) return { revision: existing, collisionCount };
      if (attempt >= MAX_COLLISIONS) throw new RevisionCollisionError(name, { cause: err });
      collisionCount++;
    }
  }
}

/**
 * Gives an existing revision a new number (upstream's
 * UpdateControllerRevision): how a rollback to an old template becomes
 * the newest revision again instead of a duplicate.
 */
export async function renumberRevision(
  client: ResourceClient<ControllerRevision>,
  rev: ControllerRevision,
  revision: number,
): Promise<ControllerRevision> {
  if (rev.revision === revision) return rev;
  const namespace = rev.metadata?.namespace ?? "";
  // Revisions are immutable apart from metadata and the number: a merge patch touches only that.
  return client.patch(rev.metadata?.name ?? "", { revision }, { namespace, type: "merge" });
}

/** Deletes revisions (uid-preconditioned), ignoring ones already gone. */
export async function deleteRevisions(
  client: ResourceClient<ControllerRevision>,
  revisions: readonly ControllerRevision[],
): Promise<void> {
  for (const rev of revisions) {
    try {
      await client.delete(rev.metadata?.name ?? "", {
        namespace: rev.metadata?.namespace ?? "",
        preconditions: { uid: rev.metadata?.uid ?? "" },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
