import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiresAt } from "../../../src/controllers/ttlafterfinished/expiry.js";
import { makeJob } from "./fixtures.js";

const finishedJob = (ttl: number | undefined, type = "Complete") =>
  makeJob(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }, {
    status: { conditions: [{ type, status: "True", lastTransitionTime: "2024-05-01T12:00:00Z" }] },
  });

describe("ttlSecondsAfterFinished", () => {
  it("expires a finished Job that long after its finish condition", () => {
    assert.equal(expiresAt(finishedJob(30)), Date.parse("2024-05-01T12:00:30Z"));
    assert.equal(expiresAt(finishedJob(0, "Failed")), Date.parse("2024-05-01T12:00:00Z"));
  });

  it("leaves alone Jobs without a TTL or not finished", () => {
    assert.equal(expiresAt(finishedJob(undefined)), undefined);
    assert.equal(expiresAt(makeJob({ ttlSecondsAfterFinished: 5 })), undefined);
  });
});
