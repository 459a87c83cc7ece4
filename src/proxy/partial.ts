/**
 * Partial syncs (upstream's MinimizeIPTablesRestore): the restore input
 * names only the chains that must change. The top-level chains
 * (KUBE-SERVICES, KUBE-NODEPORTS, the filter chains, ...) are always
 * rewritten; a service port's own chains (KUBE-SVC/SVL/EXT/FW/SEP) only
 * when their rules differ from what the last successful restore wrote.
 * Chains left out are untouched by `iptables-restore --noflush`. Pure.
 */
import { isServiceChain } from "./names.js";
import { staleChains } from "./restore.js";
import type { BuiltRules } from "./rules.js";
import type { Ruleset } from "./writer.js";

/** Per-service nat chains known to be in the kernel, with the rules written to each. */
export type WrittenChains = ReadonlyMap<string, string>;

export type RestoreBase =
  /** Full sync: every chain is written; `existing` are the nat chains iptables-save showed. */
  | { readonly existing: Iterable<string> }
  /** Partial sync: what the last successful restore left in the kernel. */
  | { readonly previous: WrittenChains };

export interface RestorePlan {
  readonly rules: Ruleset;
  /** Per-service chains to flush and delete: in the kernel, no longer used. */
  readonly stale: readonly string[];
  /** What the kernel holds once this plan is applied: the base of the next partial sync. */
  readonly written: WrittenChains;
  /** Service chains left out because they did not change. */
  readonly unchanged: number;
}

/** The chain of a `-A CHAIN ...` line (save.ts's ruleChain, without splitting the whole line). */
function chainOf(rule: string): string {
  const end = rule.indexOf(" ", 3);
  return end === -1 ? rule.slice(3) : rule.slice(3, end);
}

export function planRestore(built: BuiltRules, base: RestoreBase): RestorePlan {
  const byChain = new Map<string, string[]>();
  for (const rule of built.natRules) {
    const chain = chainOf(rule);
    let rules = byChain.get(chain);
    if (!rules) {
      rules = [];
      byChain.set(chain, rules);
    }
    rules.push(rule);
  }
  const written = new Map<string, string>();
  for (const chain of built.natChains)
    if (isServiceChain(chain)) written.set(chain, (byChain.get(chain) ?? []).join("\n"));

  const previous = "previous" in base ? base.previous : undefined;
  const existing = "previous" in base ? base.previous.keys() : base.existing;
  const skip = new Set<string>();
  if (previous)
    for (const [chain, text] of written) if (previous.get(chain) === text) skip.add(chain);
  return {
    rules: {
      filterChains: built.filterChains,
      filterRules: built.filterRules,
      natChains: built.natChains.filter((c) => !skip.has(c)),
      natRules:
        skip.size === 0 ? built.natRules : built.natRules.filter((r) => !skip.has(chainOf(r))),
    },
    stale: staleChains(existing, built.activeNatChains),
    written,
    unchanged: skip.size,
  };
}
