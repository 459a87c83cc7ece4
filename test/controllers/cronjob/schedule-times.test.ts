import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newSchedule } from "../../../src/controllers/cronjob/schedule.js";
import {
  mostRecentScheduleTime,
  nextScheduleDelay,
  nextScheduleTime,
} from "../../../src/controllers/cronjob/schedule-times.js";

const at = (s: string) => Date.parse(s);
const everyMinute = newSchedule("*/1 * * * *", { timeZone: "UTC" });
const hourly = newSchedule("0 * * * *", { timeZone: "UTC" });
const created = "2024-05-01T10:00:30Z";

describe("which start time is due", () => {
  it("nothing before the first start after creation", () => {
    const r = mostRecentScheduleTime(
      { creationTimestamp: created },
      { schedule: everyMinute, now: at("2024-05-01T10:00:50Z"), withStartingDeadline: true },
    );
    assert.equal(r.mostRecent, undefined);
    assert.equal(r.missed, "none");
  });

  it("the one start that has passed", () => {
    const r = nextScheduleTime(
      { creationTimestamp: created },
      { schedule: everyMinute, now: at("2024-05-01T10:01:10Z") },
    );
    assert.equal(r.scheduled, at("2024-05-01T10:01:00Z"));
  });

  it("only the latest of several missed starts (one catch-up)", () => {
    const r = mostRecentScheduleTime(
      { creationTimestamp: created, lastScheduleTime: "2024-05-01T10:00:00Z" },
      { schedule: hourly, now: at("2024-05-01T15:20:00Z"), withStartingDeadline: true },
    );
    assert.equal(r.mostRecent, at("2024-05-01T15:00:00Z"));
    assert.equal(r.missed, "few");
  });

  it("more than 100 missed starts are flagged", () => {
    const r = nextScheduleTime(
      { creationTimestamp: created },
      { schedule: everyMinute, now: at("2024-05-01T12:00:10Z") },
    );
    assert.equal(r.scheduled, at("2024-05-01T12:00:00Z"));
    assert.equal(r.tooManyMissed, true);
  });

  it("startingDeadlineSeconds limits how far back a start may be", () => {
    const state = { creationTimestamp: created, startingDeadlineSeconds: 600 };
    const now = at("2024-05-01T15:20:00Z");
    // The 15:00 start is 20 minutes old: outside the 10 minute window.
    assert.equal(nextScheduleTime(state, { schedule: hourly, now }).scheduled, undefined);
    const soon = at("2024-05-01T15:05:00Z");
    assert.equal(
      nextScheduleTime(state, { schedule: hourly, now: soon }).scheduled,
      at("2024-05-01T15:00:00Z"),
    );
  });

  it("the wait for the next start lands just after it", () => {
    const state = { creationTimestamp: created, lastScheduleTime: "2024-05-01T10:01:00Z" };
    const delay = nextScheduleDelay(state, {
      schedule: everyMinute,
      now: at("2024-05-01T10:01:20Z"),
    });
    assert.equal(delay, 40_100);
  });
});
