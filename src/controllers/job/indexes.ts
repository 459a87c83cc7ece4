/**
 * Sets of completion indexes as sorted, disjoint, non-adjacent intervals,
 * written the way status.completedIndexes spells them: "1,3-5,7".
 */
export type Interval = readonly [first: number, last: number];
export type IndexSet = readonly Interval[];

/**
 * Parses a completedIndexes string, keeping only indexes below
 * `completions` (a Job scaled down keeps no record of indexes it dropped).
 * Malformed parts are skipped: the status was written by us, so damage
 * there should not stop the Job.
 */
export function parseIndexes(text: string | undefined, completions: number): IndexSet {
  if (!text) return [];
  const found: number[][] = [];
  for (const part of text.split(",")) {
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    if (first > last) continue;
    found.push([first, last]);
  }
  return normalize(found);
}

export function formatIndexes(set: IndexSet): string {
  return set.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(",");
}

export function countIndexes(set: IndexSet): number {
  return set.reduce((n, [a, b]) => n + b - a + 1, 0);
}

export function hasIndex(set: IndexSet, ix: number): boolean {
  return set.some(([a, b]) => a <= ix && ix <= b);
}

export function withIndexes(set: IndexSet, indexes: Iterable<number>): IndexSet {
  return normalize([...set.map(([a, b]) => [a, b]), ...[...indexes].map((i) => [i, i])]);
}

function normalize(intervals: number[][]): IndexSet {
  const sorted = intervals
    .filter((iv): iv is [number, number] => iv.length === 2)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const prev = out[out.length - 1];
    if (prev && a <= prev[1] + 1) prev[1] = Math.max(prev[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The lowest `count` indexes below `completions` that have neither
 * succeeded nor a running pod: the next pods an Indexed Job starts.
 */
export function firstPendingIndexes(opts: {
  succeeded: IndexSet;
  activeIndexes: Iterable<number>;
  count: number;
  completions: number;
}): number[] {
  const taken = new Set(opts.activeIndexes);
  const out: number[] = [];
  for (let ix = 0; ix < opts.completions && out.length < opts.count; ix++) {
    if (!taken.has(ix) && !hasIndex(opts.succeeded, ix)) out.push(ix);
  }
  return out;
}
