import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScheduleError } from "../../../src/controllers/cronjob/cron-spec.js";
import { newSchedule } from "../../../src/controllers/cronjob/schedule.js";

const at = (s: string) => Date.parse(s);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const next = (spec: string, from: string, timeZone = "UTC") =>
  iso(newSchedule(spec, { timeZone }).next(at(from)));

describe("cron schedules", () => {
  it("fire at the next matching minute, strictly after the given time", () => {
    assert.equal(next("*/1 * * * *", "2024-05-01T12:00:00Z"), "2024-05-01T12:01:00.000Z");
    assert.equal(next("*/1 * * * *", "2024-05-01T12:00:30Z"), "2024-05-01T12:01:00.000Z");
    assert.equal(next("*/15 * * * *", "2024-05-01T12:07:00Z"), "2024-05-01T12:15:00.000Z");
  });

  it("step the hour, day and month fields, wrapping into the next year", () => {
    assert.equal(next("30 9 * * 1-5", "2024-05-03T10:00:00Z"), "2024-05-06T09:30:00.000Z");
    assert.equal(next("0 0 1 JAN *", "2024-05-01T00:00:00Z"), "2025-01-01T00:00:00.000Z");
    assert.equal(next("5/20 * * * *", "2024-05-01T12:26:00Z"), "2024-05-01T12:45:00.000Z");
  });

  it("match either day field when both are restricted, both when one is *", () => {
    // 2024-05-01 is a Wednesday: "the 15th or Mondays" fires on Monday the 6th.
    assert.equal(next("0 0 15 * MON", "2024-05-01T00:00:00Z"), "2024-05-06T00:00:00.000Z");
    assert.equal(next("0 0 * * MON", "2024-05-01T00:00:00Z"), "2024-05-06T00:00:00.000Z");
    assert.equal(next("0 0 15 * *", "2024-05-01T00:00:00Z"), "2024-05-15T00:00:00.000Z");
  });

  it("understand descriptors and @every", () => {
    assert.equal(next("@hourly", "2024-05-01T12:10:00Z"), "2024-05-01T13:00:00.000Z");
    assert.equal(next("@weekly", "2024-05-01T12:10:00Z"), "2024-05-05T00:00:00.000Z");
    assert.equal(next("@every 90s", "2024-05-01T12:10:00.400Z"), "2024-05-01T12:11:30.000Z");
  });

  it("read the fields in the CronJob's time zone", () => {
    // 09:00 in New York (EDT, UTC-4) is 13:00 UTC.
    assert.equal(
      next("0 9 * * *", "2024-05-01T12:00:00Z", "America/New_York"),
      "2024-05-01T13:00:00.000Z",
    );
    assert.equal(
      next("0 9 * * *", "2024-01-10T12:00:00Z", "America/New_York"),
      "2024-01-10T14:00:00.000Z",
    );
  });

  it("skip a wall time the spring-forward gap removes and fire in both copies of a repeated hour", () => {
    // 2024-03-10 02:30 does not exist in New York.
    assert.equal(
      next("30 2 * * *", "2024-03-10T05:00:00Z", "America/New_York"),
      "2024-03-11T06:30:00.000Z",
    );
    // 2024-11-03 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    const tz = "America/New_York";
    assert.equal(next("30 1 * * *", "2024-11-03T05:00:00Z", tz), "2024-11-03T05:30:00.000Z");
    assert.equal(next("30 1 * * *", "2024-11-03T05:30:00Z", tz), "2024-11-03T06:30:00.000Z");
    assert.equal(next("30 1 * * *", "2024-11-03T06:30:00Z", tz), "2024-11-04T06:30:00.000Z");
  });

  it("never fire for an impossible date", () => {
    assert.equal(next("0 0 30 2 *", "2024-05-01T00:00:00Z"), undefined);
  });

  it("reject malformed specs and unknown zones", () => {
    assert.throws(() => newSchedule("* * * *"), ScheduleError);
    assert.throws(() => newSchedule("61 * * * *"), /above maximum/);
    assert.throws(() => newSchedule("@sometimes"), /unrecognized descriptor/);
    assert.throws(
      () => newSchedule("* * * * *", { timeZone: "Mars/Olympus" }),
      /unknown time zone/,
    );
  });
});
