import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Job, JobCondition } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { newCondition } from "../../../src/controllers/job/conditions.js";
import { parseIndexes } from "../../../src/controllers/job/indexes.js";
import {
  countRemovedFinalizers,
  finishStatus,
  planTracking,
} from "../../../src/controllers/job/tracking.js";
import { makeJob, makePod, T0 } from "./fixtures.js";

function plan(
  job: Job,
  pods: Pod[],
  opts: { expected?: string[]; finished?: JobCondition; prev?: string; all?: string } = {},
) {
  const completions = job.spec?.completions ?? 0;
  return planTracking({
    job,
    pods,
    expectedRemovals: new Set(opts.expected ?? []),
    finished: opts.finished,
    prevSucceededIndexes: parseIndexes(opts.prev, completions),
    succeededIndexes: parseIndexes(opts.all, completions),
    needsFlush: false,
    now: T0,
  });
}

const withoutFinalizer = (pod: Pod): Pod => ({
  ...pod,
  metadata: { ...pod.metadata, finalizers: [] },
});

describe("tracking finished pods with the finalizer", () => {
  it("records finished pods as uncounted before letting their finalizers go", () => {
    const ok = makePod({ phase: "Succeeded", uid: "ok" });
    const bad = makePod({ phase: "Failed", uid: "bad" });
    const running = makePod({ phase: "Running", uid: "run" });
    const p = plan(makeJob({ completions: 3 }), [ok, bad, running]);
    assert.ok(p.needsFlush);
    assert.deepEqual(p.status.uncountedTerminatedPods, { succeeded: ["ok"], failed: ["bad"] });
    assert.deepEqual(
      p.podsToRemoveFinalizer.map((x) => x.metadata?.uid),
      ["ok", "bad"],
    );
    assert.equal(p.status.succeeded ?? 0, 0, "counted only once the finalizer is gone");
  });

  it("counts every pod exactly once across partial failures and a stale cache", () => {
    const a = makePod({ phase: "Succeeded", uid: "a" });
    const b = makePod({ phase: "Succeeded", uid: "b" });
    let job = makeJob({ completions: 2 });

    // Sync 1: both recorded; only a's finalizer removal succeeds.
    const p1 = plan(job, [a, b]);
    job = { ...job, status: p1.status };
    p1.uidsWithFinalizer.delete("a");
    job = { ...job, status: countRemovedFinalizers(job.status ?? {}, p1.uidsWithFinalizer).status };
    assert.equal(job.status?.succeeded, 1);
    assert.deepEqual(job.status?.uncountedTerminatedPods, { succeeded: ["b"] });

    // Sync 2: the cache still shows a's finalizer (removal in flight), b is retried.
    const p2 = plan(job, [a, b], { expected: ["a"] });
    assert.deepEqual(p2.status.uncountedTerminatedPods, { succeeded: ["b"] });
    assert.deepEqual(
      p2.podsToRemoveFinalizer.map((x) => x.metadata?.uid),
      ["b"],
    );
    p2.uidsWithFinalizer.delete("b");
    job = { ...job, status: countRemovedFinalizers(p2.status, p2.uidsWithFinalizer).status };
    assert.equal(job.status?.succeeded, 2);

    // Sync 3: both seen without the finalizer: nothing more to count.
    const p3 = plan(job, [withoutFinalizer(a), withoutFinalizer(b)]);
    assert.ok(!p3.needsFlush);
    assert.equal(p3.status.succeeded, 2);
    assert.equal(p3.podsToRemoveFinalizer.length, 0);
  });

  it("counts an uncounted pod that vanished (its finalizer went with it)", () => {
    const job = makeJob(
      {},
      { status: { failed: 1, uncountedTerminatedPods: { failed: ["gone"] } } },
    );
    const p = plan(job, []);
    assert.ok(p.needsFlush);
    assert.equal(p.status.failed, 2);
  });

  it("records an Indexed Job's successes in completedIndexes, not as UIDs", () => {
    const job = makeJob(
      { completions: 4, completionMode: "Indexed" },
      { status: { completedIndexes: "0", succeeded: 1 } },
    );
    const p = plan(job, [makePod({ phase: "Succeeded", index: 2 })], { prev: "0", all: "0,2" });
    assert.equal(p.status.completedIndexes, "0,2");
    assert.equal(p.status.succeeded, 2);
    assert.deepEqual(p.status.uncountedTerminatedPods, {});
  });

  it("once the Job failed, counts its unfinished pods as failed and records FailureTarget first", () => {
    const finished = newCondition("FailureTarget", {
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
      now: T0,
    });
    const p = plan(makeJob(), [makePod({ phase: "Running", uid: "r", deleting: true })], {
      finished,
    });
    assert.deepEqual(p.status.uncountedTerminatedPods, { failed: ["r"] });
    assert.equal(p.status.conditions?.[0]?.type, "FailureTarget");
    assert.equal(p.finished?.type, "Failed");
    assert.equal(p.finished?.reason, "DeadlineExceeded");
  });

  it("turns SuccessCriteriaMet into Complete with completionTime", () => {
    const met = newCondition("SuccessCriteriaMet", { reason: "CompletionsReached", now: T0 });
    const p = plan(makeJob(), [], { finished: met });
    assert.equal(p.status.conditions?.[0]?.type, "SuccessCriteriaMet");
    const done = finishStatus(p.status, { finished: p.finished, terminating: 0 });
    assert.equal(done?.conditions?.at(-1)?.type, "Complete");
    assert.equal(done?.completionTime, "2024-05-01T12:00:00Z");
  });

  it("waits for uncounted and terminating pods before the terminal condition", () => {
    const failed = newCondition("Failed", { reason: "BackoffLimitExceeded", now: T0 });
    assert.equal(
      finishStatus(
        { uncountedTerminatedPods: { failed: ["x"] } },
        { finished: failed, terminating: 0 },
      ),
      undefined,
    );
    assert.equal(finishStatus({}, { finished: failed, terminating: 1 }), undefined);
    assert.equal(
      finishStatus({}, { finished: failed, terminating: 0 })?.conditions?.[0]?.type,
      "Failed",
    );
  });
});
