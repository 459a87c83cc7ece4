import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podPrinter } from "../../../src/api/tables/pods.js";
import { buildTable } from "../../../src/api/tables/table.js";
import { ago, MIN, NOW, obj } from "./fixtures.js";

const pod = obj({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "done",
    namespace: "default",
    resourceVersion: "42",
    creationTimestamp: ago(MIN),
  },
  spec: { containers: [{ name: "c" }] },
  status: { phase: "Succeeded" },
});

describe("buildTable", () => {
  it("builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows", () => {
    const table = buildTable({
      printer: podPrinter,
      objects: [pod],
      now: NOW,
      includeObject: "Metadata",
      listMeta: { resourceVersion: "100", continue: "", remainingItemCount: 0 },
    });
    assert.equal(table.kind, "Table");
    assert.equal(table.apiVersion, "meta.k8s.io/v1");
    assert.deepEqual(table.metadata, { resourceVersion: "100", remainingItemCount: 0 });
    assert.equal(table.columnDefinitions?.length, 9);
    assert.deepEqual(Object.keys(table.columnDefinitions?.[0] ?? {}).sort(), [
      "description",
      "format",
      "name",
      "priority",
      "type",
    ]);
    const row = table.rows[0];
    assert.deepEqual(row?.cells.slice(0, 5), ["done", "0/1", "Succeeded", "0", "60s"]);
    assert.equal(row?.conditions?.[0]?.type, "Completed");
    assert.deepEqual(row?.object, {
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: pod.metadata,
    });
  });

  it("embeds the full object for includeObject=Object and null for None", () => {
    const full = buildTable({
      printer: podPrinter,
      objects: [pod],
      now: NOW,
      includeObject: "Object",
      listMeta: {},
    });
    assert.equal(full.rows[0]?.object, pod);
    const none = buildTable({
      printer: podPrinter,
      objects: [pod],
      now: NOW,
      includeObject: "None",
      listMeta: {},
    });
    assert.equal(none.rows[0]?.object, null);
    assert.deepEqual(none.metadata, {});
  });

  it("leaves out column definitions when asked for no headers", () => {
    const table = buildTable({
      printer: podPrinter,
      objects: [],
      now: NOW,
      includeObject: "Metadata",
      listMeta: { resourceVersion: "7", continue: "abc" },
      noHeaders: true,
    });
    assert.equal(table.columnDefinitions, null);
    assert.deepEqual(table.rows, []);
    assert.deepEqual(table.metadata, { resourceVersion: "7", continue: "abc" });
  });

  it("serialises rows without conditions for running pods", () => {
    const running = obj({ ...pod, status: { phase: "Running" } });
    const json = JSON.parse(
      JSON.stringify(
        buildTable({
          printer: podPrinter,
          objects: [running],
          now: NOW,
          includeObject: "None",
          listMeta: {},
        }),
      ),
    );
    assert.deepEqual(Object.keys(json.rows[0]), ["cells", "object"]);
  });
});
