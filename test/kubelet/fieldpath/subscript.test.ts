import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitSubscript } from "../../../src/kubelet/fieldpath/index.js";

describe("splitSubscript", () => {
  const cases: [string, { path: string; key: string } | undefined][] = [
    ["metadata.labels['app']", { path: "metadata.labels", key: "app" }],
    [
      "metadata.annotations['example.com/x']",
      { path: "metadata.annotations", key: "example.com/x" },
    ],
    ["metadata.labels['']", { path: "metadata.labels", key: "" }],
    ["a['b['c']", { path: "a", key: "b['c" }],
    ["metadata.name", undefined],
    ["['app']", undefined],
    ["metadata.labels['app']x", undefined],
    ["metadata.labels[app]", undefined],
  ];
  for (const [fieldPath, want] of cases)
    it(`${fieldPath} → ${JSON.stringify(want)}`, () =>
      assert.deepEqual(splitSubscript(fieldPath), want));
});
