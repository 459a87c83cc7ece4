import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  NO_BACKOFF,
  nextBackoffRecord,
  remainingBackoff,
} from "../../../src/controllers/job/backoff.js";
import { makePod, T0 } from "./fixtures.js";

const failedAt = (t: number) => makePod({ phase: "Failed", finishedAt: t });
const succeededAt = (t: number) => makePod({ phase: "Succeeded", finishedAt: t });

describe("pod failure backoff", () => {
  it("waits 10s after the first failure, counted from when the pod finished", () => {
    const r = nextBackoffRecord(NO_BACKOFF, { succeeded: [], failed: [failedAt(T0)] });
    assert.equal(r.failuresAfterLastSuccess, 1);
    assert.equal(remainingBackoff(r, { now: T0 + 4_000 }), 6_000);
    assert.equal(remainingBackoff(r, { now: T0 + 10_000 }), 0);
  });

  it("doubles per failure since the last success", () => {
    let r = NO_BACKOFF;
    for (let i = 0; i < 3; i++) r = nextBackoffRecord(r, { succeeded: [], failed: [failedAt(T0)] });
    assert.equal(r.failuresAfterLastSuccess, 3);
    assert.equal(remainingBackoff(r, { now: T0 }), 40_000);
  });

  it("is capped at six minutes", () => {
    const r = { failuresAfterLastSuccess: 20, lastFailureTime: T0 };
    assert.equal(remainingBackoff(r, { now: T0 }), 360_000);
  });

  it("honours a configured base delay", () => {
    const r = { failuresAfterLastSuccess: 2, lastFailureTime: T0 };
    assert.equal(remainingBackoff(r, { now: T0, baseMs: 100 }), 200);
  });

  it("resets on a success, counting only failures that finished after it", () => {
    const prev = { failuresAfterLastSuccess: 5, lastFailureTime: T0 };
    const r = nextBackoffRecord(prev, {
      succeeded: [succeededAt(T0 + 1_000)],
      failed: [failedAt(T0 + 500), failedAt(T0 + 2_000)],
    });
    assert.deepEqual(r, { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 2_000 });
    assert.deepEqual(
      nextBackoffRecord(prev, { succeeded: [succeededAt(T0)], failed: [] }),
      NO_BACKOFF,
    );
  });
});
