import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatGoDuration } from "../../../src/api/proto/duration.js";

describe("formatGoDuration", () => {
  const cases: [bigint, string][] = [
    [0n, "0s"],
    [1n, "1ns"],
    [1_500n, "1.5µs"],
    [250_000_000n, "250ms"],
    [1_500_000_000n, "1.5s"],
    [60_000_000_000n, "1m0s"],
    [3_600_000_000_000n, "1h0m0s"],
    [3_661_000_000_001n, "1h1m1.000000001s"],
    [-123_000_000_000n, "-2m3s"],
  ];
  for (const [nanos, text] of cases) {
    it(`writes ${nanos}ns as ${text}, like Go's time.Duration`, () => {
      assert.equal(formatGoDuration(nanos), text);
    });
  }
});
