/**
 * attemptToOrphan: an owner deleted with propagationPolicy=Orphan keeps its
 * `orphan` finalizer until every dependent the graph knows has lost its
 * reference to it; then the finalizer goes and the API server removes the
 * owner.
 */
import type { GcDeps } from "./attempt-to-delete.js";
import { ORPHAN_FINALIZER } from "./identity.js";
import { removeFinalizerPatch, removeOwnerRefsPatch } from "./patches.js";
import type { WorkOutcome } from "./work-loop.js";

export class OrphanFailedError extends Error {
  constructor(owner: string, causes: readonly unknown[]) {
    super(
      `failed to orphan dependents of owner ${owner}: ${causes.map((c) => String(c)).join("; ")}`,
      { cause: causes[0] },
    );
    this.name = "OrphanFailedError";
  }
}

export async function attemptToOrphan(deps: GcDeps, uid: string): Promise<WorkOutcome> {
  const owner = deps.graph.node(uid);
  if (!owner) return "forget";
  const dependents = [...owner.dependents];
  const results = await Promise.allSettled(
    dependents.map((d) => deps.ops.patch(d.identity, (live) => removeOwnerRefsPatch(live, [uid]))),
  );
  const failures = results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => r.reason as unknown);
  if (failures.length > 0) throw new OrphanFailedError(owner.identity.name, failures);
  await deps.ops.patch(owner.identity, (live) => removeFinalizerPatch(live, ORPHAN_FINALIZER));
  return "forget";
}
