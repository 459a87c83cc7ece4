/**
 * iptables-restore input. Run with --noflush, it only touches the chains
 * it names: declaring a chain (`:NAME - [0:0]`) creates or empties it,
 * and the whole input applies atomically or not at all, so the kernel
 * never holds half a ruleset.
 */
import { isServiceChain } from "./names.js";
import type { SavedTables } from "./save.js";
import { ruleChain, ruleTarget } from "./save.js";
import type { Ruleset } from "./writer.js";

function chainLine(name: string): string {
  return `:${name} - [0:0]`;
}

/**
 * Per-service nat chains present in the kernel but unused by `active`:
 * upstream deletes these (and only these) on each sync.
 */
export function staleChains(existing: Iterable<string>, active: ReadonlySet<string>): string[] {
  return [...existing].filter((c) => isServiceChain(c) && !active.has(c)).sort();
}

/** The restore input for a ruleset, deleting `stale` nat chains in the same transaction. */
export function restoreText(rules: Ruleset, opts: { stale?: readonly string[] } = {}): string {
  const stale = opts.stale ?? [];
  const lines = [
    "*filter",
    ...rules.filterChains.map(chainLine),
    ...rules.filterRules,
    "COMMIT",
    "*nat",
    ...rules.natChains.map(chainLine),
    ...stale.map(chainLine),
    ...rules.natRules,
    ...stale.map((c) => `-X ${c}`),
    "COMMIT",
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Restore input that removes every KUBE-* chain (or other `prefix`) and
 * every rule elsewhere that jumps to one, in every table of an
 * iptables-save output: what is left is what was there before the proxy
 * ran. Empty when there is nothing to remove.
 */
export function cleanupText(saved: SavedTables, prefix = "KUBE-"): string {
  const OURS = (chain: string) => chain.startsWith(prefix);
  const lines: string[] = [];
  for (const [table, { chains, rules }] of saved) {
    const ours = chains.filter(OURS);
    const jumps = rules.filter((r) => !OURS(ruleChain(r)) && OURS(ruleTarget(r) ?? ""));
    if (ours.length === 0 && jumps.length === 0) continue;
    lines.push(`*${table}`);
    // Jumps go first, so no rule still references a chain when it is deleted.
    for (const rule of jumps) lines.push(`-D ${rule.slice(3)}`);
    for (const chain of ours) lines.push(chainLine(chain));
    for (const chain of ours) lines.push(`-X ${chain}`);
    lines.push("COMMIT");
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
