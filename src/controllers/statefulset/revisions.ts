import type { ControllerRevision, StatefulSet } from "kubernetes-types/apps/v1.js";
import { equalRevision, findEqualRevisions, nextRevision } from "../history/compare.js";
import { newRevision, revisionTemplate } from "../history/revision.js";
import { STATEFUL_SET_GVK } from "./kinds.js";

/** The set as it was at `rev`: its template replaced by the revision's (upstream's ApplyRevision). */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  return {
    ...set,
    spec: { ...(set.spec ?? { selector: {}, template: {} }), template: revisionTemplate(rev) },
  } as StatefulSet;
}

/** How the update revision is found. */
export type UpdateRevisionChoice =
  /** The newest revision already holds the template. */
  | { readonly kind: "latest"; readonly revision: ControllerRevision }
  /** An older revision holds it (a rollback): renumber that one to `number`. */
  | { readonly kind: "renumber"; readonly revision: ControllerRevision; readonly number: number }
  /** None does: create revision `number`. */
  | { readonly kind: "create"; readonly number: number };

/**
 * Which revision the set's current template is (upstream's
 * getStatefulSetRevisions). `revisions` must be sorted oldest first.
 */
export function chooseUpdateRevision(
  set: StatefulSet,
  opts: { revisions: readonly ControllerRevision[]; collisionCount: number },
): UpdateRevisionChoice {
  const number = nextRevision(opts.revisions);
  const probe = newRevision(set, {
    gvk: STATEFUL_SET_GVK,
    revision: number,
    collisionCount: opts.collisionCount,
  });
  const equal = findEqualRevisions(opts.revisions, probe).at(-1);
  const latest = opts.revisions.at(-1);
  if (equal && latest && equalRevision(latest, equal)) return { kind: "latest", revision: latest };
  if (equal) return { kind: "renumber", revision: equal, number };
  return { kind: "create", number };
}

/**
 * The revision status.currentRevision names, or — for a new set, or one
 * whose current revision is gone — the update revision.
 */
export function findCurrentRevision(
  set: StatefulSet,
  opts: { revisions: readonly ControllerRevision[]; update: ControllerRevision },
): ControllerRevision {
  const name = set.status?.currentRevision;
  return opts.revisions.find((r) => name && r.metadata?.name === name) ?? opts.update;
}
