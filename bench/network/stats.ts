/** Percentiles and formatting shared by the network benchmark's parts. */
export function pct(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    Number.NaN
  );
}

/** "p50 X ms, p99 Y ms" over unsorted samples in milliseconds. */
export function p50p99(samples: readonly number[], digits = 1): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(digits)} ms, p99 ${pct(s, 99).toFixed(digits)} ms (n=${s.length})`;
}

export const since = (t0: number): number => performance.now() - t0;
