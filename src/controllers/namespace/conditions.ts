/**
 * The status conditions a terminating namespace reports about its
 * deletion (upstream's namespaceConditionUpdater): each of the five types
 * is True with what went wrong, or False with the upstream "all good"
 * reason. Pure.
 */
import type { NamespaceCondition } from "kubernetes-types/core/v1.js";

export const CONDITION_TYPES = [
  "NamespaceDeletionDiscoveryFailure",
  "NamespaceDeletionGroupVersionParsingFailure",
  "NamespaceDeletionContentFailure",
  "NamespaceContentRemaining",
  "NamespaceFinalizersRemaining",
] as const;

export type ConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: "ResourcesDiscovered",
    message: "All resources successfully discovered",
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: "ParsedGroupVersions",
    message: "All legacy kube types successfully parsed",
  },
  NamespaceDeletionContentFailure: {
    reason: "ContentDeleted",
    message: "All content successfully deleted, may be waiting on finalization",
  },
  NamespaceContentRemaining: {
    reason: "ContentRemoved",
    message: "All content successfully removed",
  },
  NamespaceFinalizersRemaining: {
    reason: "ContentHasNoFinalizers",
    message: "All content-preserving finalizers finished",
  },
};

/** What one pass of emptying the namespace found. */
export interface DeletionReport {
  /** Discovery failed (entirely, or for some groups: `failedGroups` of them). */
  readonly discoveryError?: { readonly message: string; readonly failedGroups?: number };
  /** One message per resource whose content could not be deleted. */
  readonly contentErrors: readonly string[];
  /** Objects left, by resource (`pods.`, `deployments.apps`, as upstream prints them). */
  readonly remaining: ReadonlyMap<string, number>;
  /** Objects left, by finalizer holding them. */
  readonly finalizers: ReadonlyMap<string, number>;
}

/** `pods.` / `deployments.apps`: upstream prints resource, a dot, then the group. */
export function remainingKey(r: { group: string; resource: string }): string {
  return `${r.resource}.${r.group}`;
}

function failures(report: DeletionReport): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  const d = report.discoveryError;
  if (d) {
    out.set("NamespaceDeletionDiscoveryFailure", {
      reason: "DiscoveryFailed",
      message:
        d.failedGroups !== undefined
          ? `Discovery failed for some groups, ${d.failedGroups} failing: ${d.message}`
          : d.message,
    });
  }
  if (report.contentErrors.length > 0) {
    const msgs = [...report.contentErrors].sort();
    out.set("NamespaceDeletionContentFailure", {
      reason: "ContentDeletionFailed",
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(", ")}`,
    });
  }
  const left = [...report.remaining]
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} has ${n} resource instances`)
    .sort();
  if (left.length > 0) {
    out.set("NamespaceContentRemaining", {
      reason: "SomeResourcesRemain",
      message: `Some resources are remaining: ${left.join(", ")}`,
    });
  }
  const held = [...report.finalizers]
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .sort();
  if (held.length > 0) {
    out.set("NamespaceFinalizersRemaining", {
      reason: "SomeFinalizersRemain",
      message: `Some content in the namespace has finalizers remaining: ${held.join(", ")}`,
    });
  }
  return out;
}

/**
 * The namespace's conditions after this pass, and whether they changed.
 * A condition's lastTransitionTime moves only when its status flips.
 */
export function nextConditions(
  current: readonly NamespaceCondition[],
  opts: { report: DeletionReport; now: string },
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = current.map((c) => ({ ...c }));
  const failed = failures(opts.report);
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const f = failed.get(type);
    const want = { status: f ? "True" : "False", ...(f ?? OK[type]) };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, ...want, lastTransitionTime: opts.now });
      changed = true;
      continue;
    }
    if (old.status === want.status && old.reason === want.reason && old.message === want.message)
      continue;
    if (old.status !== want.status) old.lastTransitionTime = opts.now;
    old.status = want.status;
    old.reason = want.reason;
    old.message = want.message;
    changed = true;
  }
  return { conditions, changed };
}
