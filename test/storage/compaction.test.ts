import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compactionTarget, DEFAULT_RETENTION, pruneSamples } from "../../src/storage/compaction.js";

const policy = { minAgeMs: 300_000, minRevisions: 1000 };
const min = 60_000;

describe("compaction retention", () => {
  it("keeps 5 minutes or 1,000 revisions of history by default", () => {
    assert.deepEqual(DEFAULT_RETENTION, { minAgeMs: 5 * 60_000, minRevisions: 1000 });
  });

  it("compacts nothing until history is older than the age window", () => {
    const samples = [{ atMs: 0, revision: 10 }];
    assert.equal(
      compactionTarget({ samples, nowMs: 4 * min, currentRevision: 50_000, compacted: 0, policy }),
      undefined,
    );
  });

  it("keeps the age window when it holds more than minRevisions", () => {
    const samples = [
      { atMs: 0, revision: 100 },
      { atMs: 1 * min, revision: 5000 },
      { atMs: 4 * min, revision: 9000 },
    ];
    // At 6 minutes, samples at 0 and 1 min are older than 5 minutes: the newest is 5000.
    assert.equal(
      compactionTarget({ samples, nowMs: 6 * min, currentRevision: 20_000, compacted: 0, policy }),
      5000,
    );
  });

  it("keeps minRevisions when the age window holds fewer", () => {
    const samples = [{ atMs: 0, revision: 1400 }];
    assert.equal(
      compactionTarget({ samples, nowMs: 10 * min, currentRevision: 1500, compacted: 0, policy }),
      500,
    );
  });

  it("does not compact backwards or to the same revision again", () => {
    const samples = [{ atMs: 0, revision: 100 }];
    assert.equal(
      compactionTarget({ samples, nowMs: 10 * min, currentRevision: 5000, compacted: 100, policy }),
      undefined,
    );
  });

  it("pruning keeps the newest sample older than the window", () => {
    const samples = [
      { atMs: 0, revision: 1 },
      { atMs: 1 * min, revision: 2 },
      { atMs: 9 * min, revision: 3 },
    ];
    assert.deepEqual(
      pruneSamples(samples, 10 * min, policy).map((s) => s.revision),
      [2, 3],
    );
  });
});
