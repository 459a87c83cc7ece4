import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { assessJob } from "../../../src/controllers/job/assess.js";
import { NO_BACKOFF } from "../../../src/controllers/job/backoff.js";
import { makeJob, makePod, T0 } from "./fixtures.js";

function assess(job: Job, pods: Pod[], opts: { now?: number; expected?: string[] } = {}) {
  return assessJob({
    job,
    pods,
    expectedRemovals: new Set(opts.expected ?? []),
    backoff: NO_BACKOFF,
    now: opts.now ?? T0,
  });
}

describe("assessing a Job", () => {
  it("counts finished pods that still hold the finalizer as new", () => {
    const a = assess(makeJob({ completions: 4 }, { status: { succeeded: 1 } }), [
      makePod({ phase: "Succeeded" }),
      makePod({ phase: "Failed" }),
      makePod({ phase: "Succeeded", finalizer: false }),
      makePod({ phase: "Running", ready: true }),
    ]);
    assert.equal(a.newSucceeded.length, 1);
    assert.equal(a.newFailed.length, 1);
    assert.equal(a.succeeded, 2);
    assert.equal(a.failed, 1);
    assert.equal(a.activePods.length, 1);
    assert.equal(a.ready, 1);
  });

  it("never counts a pod twice: uncounted UIDs and in-flight finalizer removals are skipped", () => {
    const recorded = makePod({ phase: "Succeeded", uid: "a" });
    const removing = makePod({ phase: "Succeeded", uid: "b" });
    const job = makeJob(
      { completions: 4 },
      { status: { succeeded: 1, uncountedTerminatedPods: { succeeded: ["a"] } } },
    );
    const a = assess(job, [recorded, removing], { expected: ["b"] });
    assert.equal(a.newSucceeded.length, 0);
    assert.equal(a.succeeded, 2);
  });

  it("counts a pod deleted before it finished as failed", () => {
    const a = assess(makeJob(), [makePod({ phase: "Running", deleting: true })]);
    assert.equal(a.newFailed.length, 1);
    assert.equal(a.terminating, 1);
  });

  it("fails the Job once failures exceed backoffLimit", () => {
    const job = makeJob({ backoffLimit: 1 }, { status: { failed: 1 } });
    const a = assess(job, [makePod({ phase: "Failed" })]);
    assert.equal(a.finished?.type, "FailureTarget");
    assert.equal(a.finished?.reason, "BackoffLimitExceeded");
    assert.equal(
      assess(makeJob({ backoffLimit: 1 }), [makePod({ phase: "Failed" })]).finished,
      undefined,
    );
  });

  it("with restartPolicy OnFailure counts container restarts against backoffLimit", () => {
    const job = makeJob({ backoffLimit: 3 });
    const spec = job.spec?.template.spec;
    if (spec) spec.restartPolicy = "OnFailure";
    assert.equal(assess(job, [makePod({ restarts: 2 })]).finished, undefined);
    assert.equal(assess(job, [makePod({ restarts: 3 })]).finished?.reason, "BackoffLimitExceeded");
  });

  it("fails the Job after activeDeadlineSeconds and says when to look before that", () => {
    const started = new Date(T0).toISOString().replace(/\.\d+Z$/, "Z");
    const job = makeJob({ activeDeadlineSeconds: 30 }, { status: { startTime: started } });
    const early = assess(job, [makePod({})], { now: T0 + 10_000 });
    assert.equal(early.finished, undefined);
    assert.equal(early.deadlineInMs, 20_000);
    const late = assess(job, [makePod({})], { now: T0 + 30_000 });
    assert.equal(late.finished?.reason, "DeadlineExceeded");
  });

  it("starts the clock only when not suspended", () => {
    assert.equal(assess(makeJob({ suspend: true }), []).startTime, undefined);
    assert.equal(assess(makeJob(), []).startTime, "2024-05-01T12:00:00Z");
  });

  it("turns a recorded FailureTarget into the final Failed condition", () => {
    const job = makeJob(
      {},
      {
        status: {
          conditions: [
            { type: "FailureTarget", status: "True", reason: "DeadlineExceeded", message: "m" },
          ],
        },
      },
    );
    const a = assess(job, []);
    assert.equal(a.finished?.type, "Failed");
    assert.equal(a.finished?.reason, "DeadlineExceeded");
  });

  it("counts an Indexed Job's successes by index", () => {
    const job = makeJob(
      { completions: 3, completionMode: "Indexed" },
      { status: { completedIndexes: "0", succeeded: 1 } },
    );
    const a = assess(job, [
      makePod({ phase: "Succeeded", index: 2 }),
      makePod({ phase: "Succeeded", index: 2 }),
      makePod({ phase: "Succeeded", index: 9 }),
    ]);
    assert.equal(a.succeeded, 2);
    assert.deepEqual(a.succeededIndexes, [
      [0, 0],
      [2, 2],
    ]);
  });
});
