import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PatchBadRequestError } from "../../../src/machinery/patch/errors.js";
import { applyMergePatch } from "../../../src/machinery/patch/merge-patch.js";

describe("JSON merge patch", () => {
  // RFC 7386 appendix A, plus upstream's null pruning.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ a: "foo" }, ["bar"], ["bar"]],
    [
      { metadata: { labels: { a: "1" } } },
      { metadata: { labels: { b: "2" } } },
      { metadata: { labels: { a: "1", b: "2" } } },
    ],
  ];
  for (const [doc, patch, want] of cases) {
    it(`merges ${JSON.stringify(patch)} into ${JSON.stringify(doc)}`, () => {
      const before = JSON.stringify(doc);
      assert.deepEqual(applyMergePatch(doc, patch), want);
      assert.equal(JSON.stringify(doc), before, "the input is unchanged");
    });
  }

  it("rejects a null or scalar patch as a 400", () => {
    for (const patch of [null, 3, "x"]) {
      assert.throws(
        () => applyMergePatch({}, patch),
        (err: unknown) =>
          err instanceof PatchBadRequestError && err.message === "Invalid JSON Patch",
      );
    }
  });
});
