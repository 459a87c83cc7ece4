/**
 * attemptToDelete (upstream's attemptToDeleteItem): look at one object of
 * the graph against the live API. A virtual node that does not exist is
 * dropped from the graph; an owner deleting in the foreground loses its
 * finalizer once no blocking dependent remains; a dependent whose owners
 * are all gone (verified by live GETs, not the cache) is deleted.
 */
import { type ClassifiedRefs, classifyRefs, decideDependent, type OwnerState } from "./decide.js";
import type { DependencyGraph, GraphNode } from "./graph.js";
import {
  FOREGROUND_FINALIZER,
  type ObjectIdentity,
  type OwnerReference,
  ownerIdentity,
} from "./identity.js";
import { NamespacedOwnerOfClusterScopedError, type Operations } from "./operations.js";
import { removeFinalizerPatch, removeOwnerRefsPatch, unblockOwnerRefsPatch } from "./patches.js";
import type { WorkOutcome } from "./work-loop.js";

export interface GcDeps {
  readonly graph: DependencyGraph;
  readonly ops: Pick<Operations, "resourceFor" | "get" | "delete" | "patch">;
  /** Queues an object for attemptToDelete. */
  readonly enqueueDelete: (uid: string) => void;
}

export async function attemptToDelete(deps: GcDeps, uid: string): Promise<WorkOutcome> {
  const { graph, ops } = deps;
  const node = graph.node(uid);
  if (!node) return "forget";
  // Deletion is a one-way trip: wait for it to finish, then its dependents are looked at.
  if (node.beingDeleted && !node.deletingDependents) return "forget";
  const id = node.identity;
  const latest = await ops.get(id);
  if (!latest) {
    graph.virtualDelete(id);
    return "forget";
  }
  if (node.deletingDependents) {
    await finishForegroundDeletion(deps, node);
    return untilObserved(deps, uid);
  }
  if (latest.ownerReferences.length === 0) return untilObserved(deps, uid);

  let refs: ClassifiedRefs;
  try {
    refs = await classifyOwners(deps, { item: id, refs: latest.ownerReferences });
  } catch (err) {
    // Invalid for good: retrying cannot help.
    if (err instanceof NamespacedOwnerOfClusterScopedError) return "forget";
    throw err;
  }
  const decision = decideDependent({
    refs,
    finalizers: latest.finalizers,
    dependents: [...node.dependents],
  });
  if (decision.kind === "removeOwnerRefs") {
    await ops.patch(id, (live) => removeOwnerRefsPatch(live, decision.uids));
  } else if (decision.kind === "delete") {
    if (decision.unblockFirst) await ops.patch(id, unblockOwnerRefsPatch);
    const deleted = await ops.delete(id, { policy: decision.policy, seen: latest });
    if (!deleted) {
      graph.virtualDelete(id);
      return "forget";
    }
  }
  return untilObserved(deps, uid);
}

/**
 * A node still virtual after a successful pass exists but has not been
 * seen by a watch yet: look again later, or an object created and deleted
 * while a watch was down could stay in the graph forever.
 */
function untilObserved(deps: GcDeps, uid: string): WorkOutcome {
  return deps.graph.node(uid)?.virtual ? "requeue" : "forget";
}

/** The owner deleting in the foreground: done when no blocking dependent is left. */
async function finishForegroundDeletion(deps: GcDeps, node: GraphNode): Promise<void> {
  const blocking = node.blockingDependents();
  if (blocking.length === 0) {
    await deps.ops.patch(node.identity, (live) => removeFinalizerPatch(live, FOREGROUND_FINALIZER));
    return;
  }
  for (const dep of blocking) if (!dep.deletingDependents) deps.enqueueDelete(dep.uid);
}

async function classifyOwners(
  deps: GcDeps,
  opts: { item: ObjectIdentity; refs: readonly OwnerReference[] },
): Promise<ClassifiedRefs> {
  const states: { ref: OwnerReference; state: OwnerState }[] = [];
  for (const ref of opts.refs) states.push({ ref, state: await ownerState(deps, ref, opts.item) });
  return classifyRefs(states);
}

/**
 * Whether the owner a reference names exists, by a live GET (owners are
 * looked up in the dependent's namespace, or cluster-wide for
 * cluster-scoped kinds). An owner found absent is remembered, so its other
 * dependents skip the lookup.
 */
async function ownerState(
  deps: GcDeps,
  ref: OwnerReference,
  item: ObjectIdentity,
): Promise<OwnerState> {
  const absent = deps.graph.absentOwners;
  const clusterScoped = ownerIdentity(ref, "");
  const namespaced = ownerIdentity(ref, item.namespace);
  if (absent.has(clusterScoped) || absent.has(namespaced)) return { kind: "absent" };
  const resource = deps.ops.resourceFor(ref.apiVersion, ref.kind);
  if (resource.namespaced && item.namespace === "") {
    throw new NamespacedOwnerOfClusterScopedError(item);
  }
  const owner = resource.namespaced ? namespaced : clusterScoped;
  const live = await deps.ops.get(owner);
  if (!live) {
    absent.add(owner);
    return { kind: "absent" };
  }
  return { kind: "present", beingDeleted: live.beingDeleted, finalizers: live.finalizers };
}
