import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customResourcePrinter } from "../../../src/api/tables/custom.js";
import { evaluatePath, parsePath } from "../../../src/api/tables/jsonpath.js";
import { ago, MIN, NOW, obj } from "./fixtures.js";

describe("custom resource printer", () => {
  it("shows NAME and AGE when the CRD declares no columns", () => {
    const printer = customResourcePrinter(undefined);
    assert.deepEqual(
      printer.columns.map((c) => [c.name, c.type]),
      [
        ["Name", "string"],
        ["Age", "date"],
      ],
    );
    assert.deepEqual(
      printer.row(obj({ metadata: { name: "w", creationTimestamp: ago(MIN) } }), NOW),
      ["w", "60s"],
    );
  });

  it("fills declared columns by JSONPath and type", () => {
    const printer = customResourcePrinter([
      { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
      { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
      { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
      { name: "Ratio", type: "number", jsonPath: ".status.ratio", priority: 1 },
      { name: "First", type: "string", jsonPath: ".status.conditions[0].type" },
      { name: "Labels", type: "string", jsonPath: ".metadata.labels" },
      { name: "Missing", type: "string", jsonPath: ".status.nothing" },
      { name: "Seen", type: "date", jsonPath: ".status.seen" },
      { name: "Bad", type: "date", jsonPath: ".status.bad" },
    ]);
    const cr = obj({
      metadata: { name: "my-cron", labels: { a: "b" } },
      spec: { cronSpec: "* * * * */5", replicas: 3.7 },
      status: {
        ready: true,
        ratio: 0.5,
        conditions: [{ type: "Synced" }],
        seen: ago(3 * MIN),
        bad: "yesterday",
      },
    });
    assert.deepEqual(printer.row(cr, NOW), [
      "my-cron",
      "* * * * */5",
      3,
      true,
      0.5,
      "Synced",
      '{"a":"b"}',
      null,
      "3m",
      "<invalid>",
    ]);
    assert.equal(printer.columns[4]?.priority, 1);
  });
});

describe("jsonpath subset", () => {
  it("reads quoted keys, indexes and wildcards", () => {
    const doc = { metadata: { annotations: { "a.b/c": "x" } }, items: [{ n: 1 }, { n: 2 }] };
    const first = (p: string) => evaluatePath(parsePath(p) ?? [], doc);
    assert.deepEqual(first(".metadata.annotations['a.b/c']"), ["x"]);
    assert.deepEqual(first(".items[-1].n"), [2]);
    assert.deepEqual(first(".items[*].n"), [1, 2]);
    assert.deepEqual(first(".items[5].n"), []);
    assert.deepEqual(first(".items[?(@.n==1)]"), [{ n: 1 }]);
    assert.equal(parsePath(".items[?(@.n=)]"), undefined);
  });
});
