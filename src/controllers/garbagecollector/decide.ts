/**
 * What attemptToDelete does with a dependent once each of its owners has
 * been looked up (upstream's attemptToDeleteItem switch). Pure.
 */
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type OwnerReference } from "./identity.js";

export type Propagation = "Foreground" | "Background" | "Orphan";

/** An owner as found by a live lookup. */
export type OwnerState =
  | { readonly kind: "absent" }
  | {
      readonly kind: "present";
      readonly beingDeleted: boolean;
      readonly finalizers: readonly string[];
    };

export interface ClassifiedRefs {
  /** Owners that exist and are not waiting for their dependents. */
  readonly solid: OwnerReference[];
  /** Owners that do not exist (404, or another object under the name). */
  readonly dangling: OwnerReference[];
  /** Owners being deleted in the foreground: they wait for this dependent. */
  readonly waiting: OwnerReference[];
}

export function classifyRefs(
  refs: readonly { ref: OwnerReference; state: OwnerState }[],
): ClassifiedRefs {
  const out: ClassifiedRefs = { solid: [], dangling: [], waiting: [] };
  for (const { ref, state } of refs) {
    if (state.kind === "absent") out.dangling.push(ref);
    else if (state.beingDeleted && state.finalizers.includes(FOREGROUND_FINALIZER))
      out.waiting.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

export type DependentDecision =
  /** A live owner remains and no reference needs fixing. */
  | { readonly kind: "keep" }
  /** A live owner remains: drop the references to absent or foreground-deleting owners. */
  | { readonly kind: "removeOwnerRefs"; readonly uids: readonly string[] }
  /**
   * Collect it. `unblockFirst`: clear blockOwnerDeletion on its references
   * first, so an owner/dependent cycle of foreground deletions cannot deadlock.
   */
  | { readonly kind: "delete"; readonly policy: Propagation; readonly unblockFirst: boolean };

export function decideDependent(opts: {
  readonly refs: ClassifiedRefs;
  /** The dependent's own finalizers (a pending orphan/foreground choice is honoured). */
  readonly finalizers: readonly string[];
  /** The dependent's own dependents, as the graph knows them. */
  readonly dependents: readonly { readonly deletingDependents: boolean }[];
}): DependentDecision {
  const { solid, dangling, waiting } = opts.refs;
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return { kind: "keep" };
    // A reference to a foreground-deleting owner would keep that owner waiting forever.
    return { kind: "removeOwnerRefs", uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  if (waiting.length > 0 && opts.dependents.length > 0) {
    // Its owner waits for it and it has dependents of its own: delete it in
    // the foreground too, so the wait propagates down the tree.
    return {
      kind: "delete",
      policy: "Foreground",
      unblockFirst: opts.dependents.some((d) => d.deletingDependents),
    };
  }
  const policy: Propagation = opts.finalizers.includes(ORPHAN_FINALIZER)
    ? "Orphan"
    : opts.finalizers.includes(FOREGROUND_FINALIZER)
      ? "Foreground"
      : "Background";
  return { kind: "delete", policy, unblockFirst: false };
}
