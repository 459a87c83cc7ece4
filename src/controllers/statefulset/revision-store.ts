import type { ControllerRevision, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { equalRevision } from "../history/compare.js";
import { createRevision, renumberRevision } from "../history/store.js";
import { STATEFUL_SET_GVK } from "./kinds.js";
import { chooseUpdateRevision } from "./revisions.js";

/**
 * The stored update revision for the set's template: the newest one if it
 * already matches, an older matching one renumbered to newest (a
 * rollback), or a new one. Returns the collision count to keep in status.
 */
export async function resolveRevisions(
  set: StatefulSet,
  opts: { revisions: readonly ControllerRevision[]; client: ResourceClient<ControllerRevision> },
): Promise<{ update: ControllerRevision; collisionCount: number }> {
  const collisionCount = set.status?.collisionCount ?? 0;
  const choice = chooseUpdateRevision(set, { revisions: opts.revisions, collisionCount });
  switch (choice.kind) {
    case "latest":
      return { update: choice.revision, collisionCount };
    case "renumber":
      return {
        update: await renumberRevision(opts.client, choice.revision, choice.number),
        collisionCount,
      };
    case "create": {
      const created = await createRevision(opts.client, {
        parent: set,
        gvk: STATEFUL_SET_GVK,
        revision: choice.number,
        collisionCount,
        same: equalRevision,
      });
      return { update: created.revision, collisionCount: created.collisionCount };
    }
  }
}
