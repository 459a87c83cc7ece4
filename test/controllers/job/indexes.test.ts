import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  countIndexes,
  firstPendingIndexes,
  formatIndexes,
  hasIndex,
  parseIndexes,
  withIndexes,
} from "../../../src/controllers/job/indexes.js";

describe("completion index sets", () => {
  it("parse and format round-trip the completedIndexes syntax", () => {
    const set = parseIndexes("1,3-5,7", 10);
    assert.deepEqual(set, [
      [1, 1],
      [3, 5],
      [7, 7],
    ]);
    assert.equal(formatIndexes(set), "1,3-5,7");
    assert.equal(countIndexes(set), 5);
    assert.ok(hasIndex(set, 4));
    assert.ok(!hasIndex(set, 6));
  });

  it("drop indexes at or beyond completions and skip malformed parts", () => {
    assert.equal(formatIndexes(parseIndexes("0-2,x,5-9,12", 7)), "0-2,5-6");
  });

  it("merge adjacent and overlapping indexes into intervals", () => {
    assert.equal(formatIndexes(withIndexes(parseIndexes("1,3", 10), [2, 4, 9])), "1-4,9");
  });

  it("pick the lowest indexes neither succeeded nor running", () => {
    const pending = firstPendingIndexes({
      succeeded: parseIndexes("0,2", 6),
      activeIndexes: [1, 4],
      count: 2,
      completions: 6,
    });
    assert.deepEqual(pending, [3, 5]);
  });
});
