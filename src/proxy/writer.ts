/**
 * The four line buffers of one iptables-restore input (chain declarations
 * and rules, for the filter and nat tables), and the spelling helpers the
 * rule generators share.
 */

export interface Ruleset {
  /** Chains to declare (and so flush) in the filter table. */
  readonly filterChains: readonly string[];
  /** `-A CHAIN ...` lines for the filter table. */
  readonly filterRules: readonly string[];
  readonly natChains: readonly string[];
  readonly natRules: readonly string[];
}

export class RuleWriter implements Ruleset {
  readonly filterChains: string[] = [];
  readonly filterRules: string[] = [];
  readonly natChains: string[] = [];
  readonly natRules: string[] = [];

  filter(...parts: string[]): void {
    this.filterRules.push(parts.filter((p) => p !== "").join(" "));
  }

  nat(...parts: string[]): void {
    this.natRules.push(parts.filter((p) => p !== "").join(" "));
  }
}

/** iptables-restore splits on spaces; a value with spaces is quoted (as upstream writes it). */
export function quote(text: string): string {
  return /\s/.test(text) ? `"${text}"` : text;
}

export function comment(text: string): string {
  return `-m comment --comment ${quote(text)}`;
}

/** `-m tcp -p tcp`: the match module named for the protocol, then the protocol. */
export function proto(protocol: string): string {
  return `-m ${protocol} -p ${protocol}`;
}

/**
 * Upstream's `%0.10f` of 1/n. JavaScript's toFixed rounds an exact tie up
 * where Go rounds it to even; 1/n is an exact tie at ten digits only for
 * n a power of two from 2048 on, so those are computed exactly.
 */
export function probability(n: number): string {
  const exponent = Math.log2(n);
  if (!Number.isInteger(exponent) || exponent < 11) return (1 / n).toFixed(10);
  // 2^-k = 5^k / 10^k exactly; keep ten decimals, rounding half to even.
  const scaled = 5n ** BigInt(exponent);
  const divisor = 10n ** BigInt(exponent - 10);
  let q = scaled / divisor;
  const r = scaled % divisor;
  if (r * 2n > divisor || (r * 2n === divisor && q % 2n === 1n)) q += 1n;
  return `0.${q.toString().padStart(10, "0")}`;
}
