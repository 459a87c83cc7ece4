import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CronEvent, decideStart } from "../../../src/controllers/cronjob/start.js";
import { makeCronJob } from "./fixtures.js";

const at = (s: string) => Date.parse(s);
const now = at("2024-05-01T10:01:10Z");
const activeRef = { name: "tick-28577340", namespace: "default", uid: "j1" };

function decide(cj = makeCronJob(), t = now) {
  const events: CronEvent[] = [];
  const d = decideStart(cj, { now: t, events });
  return { d, reasons: events.map((e) => e.reason) };
}

describe("whether a CronJob starts a Job", () => {
  it("starts the Job for the start time that passed", () => {
    const { d } = decide();
    assert.equal(d.kind, "start");
    assert.equal(d.kind === "start" && d.scheduled, at("2024-05-01T10:01:00Z"));
  });

  it("not when suspended", () => {
    assert.equal(decide(makeCronJob({ suspend: true })).d.kind, "none");
  });

  it("not twice for the same start time", () => {
    const cj = makeCronJob({}, { lastScheduleTime: "2024-05-01T10:01:00Z" });
    const { d } = decide(cj);
    assert.equal(d.kind, "none");
    assert.equal(d.kind === "none" && d.requeueMs, 50_000 + 100);
  });

  it("under Forbid, not while a Job is still active", () => {
    const cj = makeCronJob(
      { concurrencyPolicy: "Forbid" },
      { active: [activeRef], lastScheduleTime: "2024-05-01T10:00:00Z" },
    );
    const { d, reasons } = decide(cj, at("2024-05-01T10:01:10Z"));
    assert.equal(d.kind, "none");
    assert.deepEqual(reasons, ["JobAlreadyActive"]);
  });

  it("under Replace, replaces the active Job; under Allow, runs alongside it", () => {
    const status = { active: [activeRef], lastScheduleTime: "2024-05-01T10:00:00Z" };
    const replace = decide(makeCronJob({ concurrencyPolicy: "Replace" }, status)).d;
    assert.equal(replace.kind === "start" && replace.replace, true);
    const allow = decide(makeCronJob({ concurrencyPolicy: "Allow" }, status)).d;
    assert.equal(allow.kind === "start" && allow.replace, false);
  });

  it("reports a start missed beyond startingDeadlineSeconds", () => {
    const cj = makeCronJob({ startingDeadlineSeconds: 5 });
    const { d, reasons } = decide(cj, at("2024-05-01T10:01:10Z"));
    assert.equal(d.kind, "none");
    assert.deepEqual(reasons, []); // the deadline window already excludes 10:01:00
    const late = decide(makeCronJob({ startingDeadlineSeconds: 5 }), at("2024-05-01T10:01:04Z"));
    assert.equal(late.d.kind, "start");
  });

  it("warns about too many missed start times but still starts the latest", () => {
    const { d, reasons } = decide(makeCronJob(), at("2024-05-01T13:00:10Z"));
    assert.equal(d.kind === "start" && d.scheduled, at("2024-05-01T13:00:00Z"));
    assert.deepEqual(reasons, ["TooManyMissedTimes"]);
  });

  it("refuses an unknown time zone or an unparseable schedule", () => {
    assert.deepEqual(decide(makeCronJob({ timeZone: "Nowhere/Land" })).reasons, [
      "UnknownTimeZone",
    ]);
    assert.deepEqual(decide(makeCronJob({ schedule: "every minute" })).reasons, [
      "UnparseableSchedule",
    ]);
  });
});
