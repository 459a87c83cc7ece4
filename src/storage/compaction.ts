/**
 * When to compact: keep at least `minRevisions` revisions of history and at
 * least `minAgeMs` of it, whichever reaches further back.
 *
 * The store samples (time, revision) pairs as it runs; the compaction target
 * is the newest revision that is both older than the age window and more
 * than `minRevisions` behind the current one.
 */
export interface RevisionSample {
  readonly atMs: number;
  readonly revision: number;
}

export interface RetentionPolicy {
  /** Keep at least this much history by time (default 5 minutes). */
  readonly minAgeMs: number;
  /** Keep at least this many revisions (default 1,000). */
  readonly minRevisions: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { minAgeMs: 5 * 60_000, minRevisions: 1000 };

/**
 * The revision to compact to, or undefined if nothing is due. `samples` are
 * in time order; `compacted` is the revision already compacted to.
 */
export function compactionTarget(opts: {
  samples: readonly RevisionSample[];
  nowMs: number;
  currentRevision: number;
  compacted: number;
  policy: RetentionPolicy;
}): number | undefined {
  const { samples, nowMs, currentRevision, compacted, policy } = opts;
  let byAge: number | undefined;
  for (const sample of samples) {
    if (nowMs - sample.atMs >= policy.minAgeMs) byAge = sample.revision;
    else break;
  }
  if (byAge === undefined) return undefined;
  const target = Math.min(byAge, currentRevision - policy.minRevisions);
  return target > compacted ? target : undefined;
}

/** Drops samples that can no longer be a compaction target. */
export function pruneSamples(
  samples: readonly RevisionSample[],
  nowMs: number,
  policy: RetentionPolicy,
): RevisionSample[] {
  // Keep the newest sample older than the window and everything after it.
  let firstOld = -1;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as RevisionSample;
    if (nowMs - s.atMs >= policy.minAgeMs) firstOld = i;
    else break;
  }
  return firstOld <= 0 ? [...samples] : samples.slice(firstOld);
}
