import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIndexes } from "../../../src/controllers/job/indexes.js";
import { planManage, wantedActive } from "../../../src/controllers/job/manage.js";
import { makeJob, makePod } from "./fixtures.js";

const running = (n: number) => Array.from({ length: n }, () => makePod({ phase: "Running" }));

function plan(job = makeJob(), opts: { active?: number; succeeded?: number; wait?: number } = {}) {
  return planManage({
    job,
    activePods: running(opts.active ?? 0),
    succeeded: opts.succeeded ?? 0,
    succeededIndexes: [],
    terminating: 0,
    backoffRemainingMs: opts.wait ?? 0,
  });
}

describe("how many pods a Job runs", () => {
  it("runs parallelism pods but never more than the completions still missing", () => {
    const job = makeJob({ completions: 4, parallelism: 2 });
    assert.equal(wantedActive(job, { active: 0, succeeded: 0 }), 2);
    assert.equal(wantedActive(job, { active: 2, succeeded: 3 }), 1);
    assert.equal(wantedActive(job, { active: 0, succeeded: 4 }), 0);
  });

  it("without completions stops starting pods once one succeeded", () => {
    const job = makeJob({ parallelism: 3 });
    if (job.spec) delete job.spec.completions;
    assert.equal(wantedActive(job, { active: 0, succeeded: 0 }), 3);
    assert.equal(wantedActive(job, { active: 2, succeeded: 1 }), 2);
  });

  it("creates the missing pods", () => {
    assert.deepEqual(plan(makeJob({ completions: 4, parallelism: 2 }), { active: 1 }), {
      kind: "create",
      count: 1,
    });
  });

  it("deletes pods beyond what is wanted", () => {
    const p = plan(makeJob({ completions: 4, parallelism: 1 }), { active: 3 });
    assert.equal(p.kind, "delete");
    assert.equal(p.kind === "delete" && p.pods.length, 2);
  });

  it("deletes every active pod of a suspended Job", () => {
    const p = plan(makeJob({ completions: 4, parallelism: 2, suspend: true }), { active: 2 });
    assert.equal(p.kind === "delete" && p.pods.length, 2);
    assert.deepEqual(plan(makeJob({ suspend: true })), { kind: "none" });
  });

  it("waits out the failure backoff before replacing a pod", () => {
    assert.deepEqual(plan(makeJob(), { wait: 7_000 }), { kind: "wait", ms: 7_000 });
  });

  it("with podReplacementPolicy Failed counts terminating pods as still running", () => {
    const job = makeJob({ completions: 2, parallelism: 2, podReplacementPolicy: "Failed" });
    const p = planManage({
      job,
      activePods: running(1),
      succeeded: 0,
      succeededIndexes: [],
      terminating: 1,
      backoffRemainingMs: 0,
    });
    assert.deepEqual(p, { kind: "none" });
  });

  it("gives an Indexed Job's new pods the lowest free indexes", () => {
    const job = makeJob({ completions: 5, parallelism: 3, completionMode: "Indexed" });
    const p = planManage({
      job,
      activePods: [makePod({ index: 1 })],
      succeeded: 1,
      succeededIndexes: parseIndexes("0", 5),
      terminating: 0,
      backoffRemainingMs: 0,
    });
    assert.deepEqual(p, { kind: "create", count: 2, indexes: [2, 3] });
  });

  it("removes duplicate and out-of-range indexes of an Indexed Job", () => {
    const job = makeJob({ completions: 3, parallelism: 3, completionMode: "Indexed" });
    const keep = makePod({ index: 0, ready: true });
    const dup = makePod({ index: 0 });
    const outOfRange = makePod({ index: 7 });
    const p = planManage({
      job,
      activePods: [keep, dup, outOfRange, makePod({ index: 1 })],
      succeeded: 0,
      succeededIndexes: [],
      terminating: 0,
      backoffRemainingMs: 0,
    });
    assert.equal(p.kind, "delete");
    const names = p.kind === "delete" ? p.pods.map((x) => x.metadata?.name).sort() : [];
    assert.deepEqual(names, [dup.metadata?.name, outOfRange.metadata?.name].sort());
  });
});
