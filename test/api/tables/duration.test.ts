import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { humanDuration, shortHumanDuration, since } from "../../../src/api/tables/duration.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe("humanDuration", () => {
  const cases: Array<[number, string]> = [
    [-2 * S, "<invalid>"],
    [-1999, "0s"],
    [-1 * S, "0s"],
    [0, "0s"],
    [999, "0s"],
    [5 * S, "5s"],
    [119 * S, "119s"],
    [2 * M, "2m"],
    [2 * M + 30 * S, "2m30s"],
    [9 * M + 59 * S, "9m59s"],
    [10 * M + 30 * S, "10m"],
    [179 * M, "179m"],
    [3 * H, "3h"],
    [3 * H + 5 * M, "3h5m"],
    [7 * H + 59 * M, "7h59m"],
    [8 * H + 30 * M, "8h"],
    [47 * H, "47h"],
    [2 * D, "2d"],
    [3 * D + 4 * H, "3d4h"],
    [8 * D + 5 * H, "8d"],
    [729 * D, "729d"],
    [2 * Y, "2y"],
    [2 * Y + 15 * D, "2y15d"],
    [8 * Y + 100 * D, "8y"],
  ];
  for (const [ms, want] of cases) {
    it(`formats ${ms} ms as ${want}`, () => {
      assert.equal(humanDuration(ms), want);
    });
  }
});

describe("shortHumanDuration", () => {
  const cases: Array<[number, string]> = [
    [-5 * S, "<invalid>"],
    [-1 * S, "0s"],
    [59 * S, "59s"],
    [90 * S, "1m"],
    [59 * M, "59m"],
    [23 * H, "23h"],
    [364 * D, "364d"],
    [3 * Y + 10 * D, "3y"],
  ];
  for (const [ms, want] of cases) {
    it(`formats ${ms} ms as ${want}`, () => {
      assert.equal(shortHumanDuration(ms), want);
    });
  }
});

describe("since", () => {
  it("reads a missing timestamp as <unknown>", () => {
    assert.equal(since(undefined, new Date()), "<unknown>");
  });

  it("measures an RFC 3339 timestamp from now", () => {
    assert.equal(since("2024-01-01T00:00:00Z", new Date("2024-01-01T00:05:03Z")), "5m3s");
  });
});
