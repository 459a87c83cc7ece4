import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  escapeValue,
  everythingFields,
  FieldSelectorError,
  fieldSelectorFromSet,
  nothingFields,
  parseFieldSelector,
  unescapeValue,
} from "../../../src/machinery/fields/index.js";

describe("field selectors", () => {
  const roundTrips: [string, string][] = [
    ["", ""],
    ["spec.nodeName=node-1", "spec.nodeName=node-1"],
    ["spec.nodeName==node-1", "spec.nodeName=node-1"],
    ["status.phase!=Running,metadata.name=x", "metadata.name=x,status.phase!=Running"],
    ["a=b\\,c", "a=b\\,c"],
    ["a=b\\=c,x=\\\\", "a=b\\=c,x=\\\\"],
    ["spec.nodeName=", "spec.nodeName="],
    ["a=b,", "a=b"],
  ];
  for (const [input, canonical] of roundTrips) {
    it(`parses ${JSON.stringify(input)} and prints ${JSON.stringify(canonical)}`, () => {
      assert.equal(parseFieldSelector(input).toString(), canonical);
    });
  }

  const matches: [string, Record<string, string>, boolean][] = [
    ["", { a: "b" }, true],
    ["spec.nodeName=n1", { "spec.nodeName": "n1" }, true],
    ["spec.nodeName=n1", { "spec.nodeName": "n2" }, false],
    ["spec.nodeName=", {}, true],
    ["spec.nodeName!=", { "spec.nodeName": "n1" }, true],
    ["spec.nodeName!=", {}, false],
    ["a=b\\,c", { a: "b,c" }, true],
    ["a=1,b!=2", { a: "1", b: "3" }, true],
    ["a=1,b!=2", { a: "1", b: "2" }, false],
  ];
  for (const [selector, fields, want] of matches) {
    it(`${want ? "matches" : "does not match"} ${JSON.stringify(fields)} with ${JSON.stringify(selector)}`, () => {
      assert.equal(parseFieldSelector(selector).matches(fields), want);
    });
  }

  const bad: [string, string][] = [
    ["a", "invalid selector: 'a'; can't understand 'a'"],
    ["x=y,a<b", "invalid selector: 'x=y,a<b'; can't understand 'a<b'"],
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    ["a=b\\c", "invalid field selector: invalid escape sequence: \\c"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)} with upstream's message`, () => {
      assert.throws(
        () => parseFieldSelector(input),
        (err: unknown) => err instanceof FieldSelectorError && err.message === message,
      );
    });
  }

  it("tells the node a selector requires, for indexing watches", () => {
    assert.equal(
      parseFieldSelector("spec.nodeName=n1,status.phase!=Failed").requiresExactMatch(
        "spec.nodeName",
      ),
      "n1",
    );
    assert.equal(
      parseFieldSelector("spec.nodeName!=n1").requiresExactMatch("spec.nodeName"),
      undefined,
    );
    assert.equal(parseFieldSelector("").requiresExactMatch("spec.nodeName"), undefined);
  });

  it("lists requirements and transforms terms", () => {
    const s = parseFieldSelector("b!=2,a=1", {
      transform: (field, value) =>
        field === "a" ? { field: "", value: "" } : { field: `x.${field}`, value },
    });
    assert.deepEqual(s.requirements(), [{ field: "x.b", operator: "!=", value: "2" }]);
  });

  it("escapes and unescapes values symmetrically", () => {
    for (const v of ["plain", "a,b", "a=b", "a\\b", ",=\\"]) {
      assert.equal(unescapeValue(escapeValue(v)), v);
    }
  });

  it("has Everything, Nothing and set selectors", () => {
    assert.equal(everythingFields().empty(), true);
    assert.equal(everythingFields().matches({}), true);
    assert.equal(nothingFields().matches({}), false);
    assert.equal(fieldSelectorFromSet({ "metadata.name": "x" }).toString(), "metadata.name=x");
  });
});
