import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import type { Selector } from "../../machinery/labels/index.js";
import { controllerOf } from "./controller-ref.js";

export interface Claimable {
  metadata?:
    | {
        uid?: string | undefined;
        labels?: Record<string, string> | undefined;
        deletionTimestamp?: string | undefined;
        ownerReferences?: OwnerReference[] | undefined;
      }
    | undefined;
}

export interface ClaimPlan<T> {
  /** Already controlled by the owner and matching: its objects. */
  readonly owned: T[];
  /** Matching orphans to adopt (they become owned once patched). */
  readonly adopt: T[];
  /** Controlled by the owner but no longer matching: to release. */
  readonly release: T[];
}

/**
 * Upstream's ControllerRefManager decision, pure: which objects an owner
 * keeps, adopts and releases. An owner being deleted adopts nothing and
 * releases nothing; objects being deleted are never adopted.
 */
export function planClaim<T extends Claimable>(
  owner: { uid: string; deleting: boolean },
  selector: Selector,
  objects: readonly T[],
): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  for (const obj of objects) {
    const ref = controllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels ?? {});
    if (ref) {
      if (ref.uid !== owner.uid) continue;
      if (matches || owner.deleting) plan.owned.push(obj);
      else plan.release.push(obj);
      continue;
    }
    if (!matches || owner.deleting || obj.metadata?.deletionTimestamp) continue;
    plan.adopt.push(obj);
  }
  return plan;
}

/** A strategic-merge patch that adds the controller reference (merge key uid). */
export function adoptPatch(uid: string, ref: OwnerReference): object {
  return { metadata: { ownerReferences: [ref], uid } };
}

/** A strategic-merge patch that removes the owner's reference. */
export function releasePatch(uid: string, ownerUid: string): object {
  return { metadata: { ownerReferences: [{ $patch: "delete", uid: ownerUid }], uid } };
}
