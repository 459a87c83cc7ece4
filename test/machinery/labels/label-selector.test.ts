import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  everything,
  InvalidRequirementError,
  LabelSelectorError,
  labelSelectorAsMap,
  labelSelectorAsSelector,
  nothing,
  selectorFromSet,
} from "../../../src/machinery/labels/index.js";

describe("LabelSelector objects", () => {
  it("selects nothing for a missing selector and everything for an empty one", () => {
    assert.equal(labelSelectorAsSelector(undefined).matches({ a: "b" }), false);
    assert.equal(labelSelectorAsSelector(null).matchesNothing, true);
    assert.equal(labelSelectorAsSelector({}).matches({ a: "b" }), true);
    assert.equal(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).empty(), true);
  });

  const cases: {
    name: string;
    selector: Parameters<typeof labelSelectorAsSelector>[0];
    text: string;
  }[] = [
    { name: "matchLabels", selector: { matchLabels: { b: "2", a: "1" } }, text: "a=1,b=2" },
    {
      name: "every expression operator",
      selector: {
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["front", "back"] },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "zone", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      },
      text: "app=web,env notin (dev),!legacy,tier in (back,front),zone",
    },
  ];
  for (const c of cases) {
    it(`converts ${c.name} and prints them sorted by key`, () => {
      assert.equal(labelSelectorAsSelector(c.selector).toString(), c.text);
    });
  }

  it("matches like the parsed string form", () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }],
    });
    assert.equal(s.matches({ app: "web", tier: "front" }), true);
    assert.equal(s.matches({ app: "web", tier: "back" }), false);
    assert.equal(s.requiresExactMatch("tier"), "front");
    assert.equal(s.requiresExactMatch("app"), "web");
    assert.equal(s.requiresExactMatch("other"), undefined);
  });

  const errors: {
    name: string;
    selector: Parameters<typeof labelSelectorAsSelector>[0];
    message: string;
  }[] = [
    {
      name: "an unknown operator",
      selector: { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
      message: '"Gt" is not a valid label selector operator',
    },
    {
      name: "In without values",
      selector: { matchExpressions: [{ key: "a", operator: "In" }] },
      message:
        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: "Exists with values",
      selector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["x", "y"] }] },
      message:
        'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    },
    {
      name: "a bad key",
      selector: { matchLabels: { "-a": "b" } },
      message:
        "key: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => labelSelectorAsSelector(c.selector),
        (err: unknown) => err instanceof LabelSelectorError && err.message === c.message,
      );
    });
  }

  it("lists every problem of a requirement", () => {
    try {
      labelSelectorAsSelector({
        matchExpressions: [{ key: "a b", operator: "Exists", values: ["x"] }],
      });
      assert.fail("expected an error");
    } catch (err) {
      assert.ok(err instanceof InvalidRequirementError);
      assert.deepEqual(
        err.errors.map((e) => e.field),
        ["key", "values"],
      );
      assert.ok(err.message.startsWith("[key: Invalid value"));
    }
  });

  it("turns single-value selectors into maps and refuses the rest", () => {
    assert.deepEqual(
      labelSelectorAsMap({
        matchLabels: { a: "1" },
        matchExpressions: [{ key: "b", operator: "In", values: ["2"] }],
      }),
      { a: "1", b: "2" },
    );
    assert.throws(
      () => labelSelectorAsMap({ matchExpressions: [{ key: "b", operator: "Exists" }] }),
      /operator "Exists" cannot be converted into the old label selector format/,
    );
  });
});

describe("special selectors", () => {
  it("prints Everything and Nothing as empty strings", () => {
    assert.equal(everything().toString(), "");
    assert.equal(nothing().toString(), "");
    assert.equal(everything().empty(), true);
    assert.equal(nothing().empty(), false);
    assert.equal(
      nothing().add({ key: "a", operator: "exists", values: [] }).matches({ a: "" }),
      false,
    );
  });

  it("builds an equality selector from a label set", () => {
    const s = selectorFromSet({ b: "2", a: "1" });
    assert.equal(s.toString(), "a=1,b=2");
    assert.equal(s.matches({ a: "1", b: "2", c: "3" }), true);
    assert.equal(selectorFromSet(undefined).empty(), true);
  });
});
