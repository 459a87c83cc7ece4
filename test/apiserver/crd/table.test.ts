import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePath, parsePath } from "../../../src/api/tables/jsonpath.js";
import {
  customResourceTable,
  customResourceTablePrinter,
} from "../../../src/apiserver/crd/table.js";
import { cronTab, cronTabVersion, crVersion } from "./crontab.fixture.js";

const NOW = new Date("2024-05-01T12:00:00Z");
const created = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d+Z$/, "Z");

function obj(spec: Record<string, unknown> = {}, ageMs = 5 * 60_000) {
  const o = cronTab(spec);
  o.metadata = { ...o.metadata, creationTimestamp: created(ageMs) };
  return o;
}

describe("custom resource tables", () => {
  it("Name, then the printer columns (Spec, Replicas, Age)", () => {
    const table = customResourceTable(crVersion(), {
      groupResource: "crontabs.stable.example.com",
      objects: [obj()],
      now: NOW,
      includeObject: "None",
      listMeta: { resourceVersion: "7" },
    });
    assert.deepEqual(
      table.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Spec", "string", "", 0],
        ["Replicas", "integer", "", 0],
        ["Age", "date", "", 0],
      ],
    );
    assert.deepEqual(table.rows[0]?.cells, ["my-new-cron-object", "* * * * */5", 1, "5m"]);
    assert.equal(table.rows[0]?.object, null);
    assert.deepEqual(table.metadata, { resourceVersion: "7" });
    assert.equal(table.kind, "Table");
  });

  it("without printer columns, a single Age column", () => {
    const cr = crVersion(cronTabVersion({ additionalPrinterColumns: [] }));
    const table = customResourceTable(cr, {
      groupResource: "crontabs.stable.example.com",
      objects: [obj({}, 3 * 3600_000)],
      now: NOW,
      includeObject: "Metadata",
      listMeta: {},
    });
    assert.deepEqual(
      table.columnDefinitions?.map((c) => c.name),
      ["Name", "Age"],
    );
    assert.deepEqual(table.rows[0]?.cells, ["my-new-cron-object", "3h"]);
    assert.equal(
      (table.rows[0]?.object as { kind?: string } | undefined)?.kind,
      "PartialObjectMetadata",
    );
  });

  it("priority columns are sent with their priority (kubectl shows them with -o wide)", () => {
    const printer = customResourcePrinterWith([
      { name: "Image", type: "string", jsonPath: ".spec.image", priority: 1 },
    ]);
    assert.equal(printer.columns[1]?.priority, 1);
    assert.deepEqual(printer.row(obj(), NOW), ["my-new-cron-object", "my-awesome-cron-image"]);
  });

  it("cells by type; missing values are null", () => {
    const printer = customResourcePrinterWith([
      { name: "Int", type: "integer", jsonPath: ".spec.n" },
      { name: "Num", type: "number", jsonPath: ".spec.f" },
      { name: "Bool", type: "boolean", jsonPath: ".spec.b" },
      { name: "Obj", type: "string", jsonPath: ".spec.o" },
      { name: "Missing", type: "string", jsonPath: ".spec.nothing" },
      { name: "WrongType", type: "integer", jsonPath: ".spec.image" },
      { name: "BadDate", type: "date", jsonPath: ".spec.image" },
      { name: "Str", type: "string", jsonPath: ".spec.n" },
    ]);
    assert.deepEqual(printer.row(obj({ n: 3, f: 1.5, b: true, o: { a: [1] } }), NOW), [
      "my-new-cron-object",
      3,
      1.5,
      true,
      '{"a":[1]}',
      null,
      null,
      null,
      "3",
    ]);
  });

  it("JSONPath filters pick the condition", () => {
    const printer = customResourcePrinterWith([
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "First", type: "string", jsonPath: ".status.conditions[0].type" },
    ]);
    const o = obj();
    o.status = {
      conditions: [
        { type: "Progressing", status: "False" },
        { type: "Ready", status: "True" },
      ],
    };
    assert.deepEqual(printer.row(o, NOW), ["my-new-cron-object", "True", "Progressing"]);
  });

  it("parses the JSONPath subset", () => {
    const root = { a: { "b.c": [1, 2, 3], list: [{ k: 1 }, { k: 2 }, { j: 3 }] } };
    const run = (p: string) => {
      const steps = parsePath(p);
      assert.ok(steps, p);
      return evaluatePath(steps, root);
    };
    assert.deepEqual(run("{.a['b.c'][-1]}"), [3]);
    assert.deepEqual(run("$.a.list[*].k"), [1, 2]);
    assert.deepEqual(run(".a.list[?(@.k)].k"), [1, 2]);
    assert.deepEqual(run(".a.list[?(@.k > 1)]"), [{ k: 2 }]);
    // An item without the field is never selected (upstream skips it).
    assert.deepEqual(run(".a.list[?(@.k != 1)]"), [{ k: 2 }]);
    assert.equal(parsePath("a b"), undefined);
  });
});

function customResourcePrinterWith(columns: Parameters<typeof customResourceTablePrinter>[0]) {
  return customResourceTablePrinter(columns);
}
