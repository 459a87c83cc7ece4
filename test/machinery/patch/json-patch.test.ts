import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  JsonPatchTestFailedError,
  PatchBadRequestError,
  PatchTooLargeError,
  PatchUnprocessableError,
} from "../../../src/machinery/patch/errors.js";
import { applyJsonPatch } from "../../../src/machinery/patch/json-patch.js";

const doc = () => ({
  metadata: { name: "web", labels: { app: "web" } },
  spec: { replicas: 1, containers: [{ name: "a" }, { name: "b" }] },
});

describe("JSON patch", () => {
  const cases: { name: string; patch: unknown[]; want: unknown }[] = [
    {
      name: "replaces a scalar",
      patch: [{ op: "replace", path: "/spec/replicas", value: 3 }],
      want: { ...doc(), spec: { ...doc().spec, replicas: 3 } },
    },
    {
      name: "adds a key with an escaped name",
      patch: [{ op: "add", path: "/metadata/labels/example.com~1tier", value: "x" }],
      want: {
        ...doc(),
        metadata: { name: "web", labels: { app: "web", "example.com/tier": "x" } },
      },
    },
    {
      name: "appends to a list with -",
      patch: [{ op: "add", path: "/spec/containers/-", value: { name: "c" } }],
      want: {
        ...doc(),
        spec: { replicas: 1, containers: [{ name: "a" }, { name: "b" }, { name: "c" }] },
      },
    },
    {
      name: "inserts into a list at an index",
      patch: [{ op: "add", path: "/spec/containers/0", value: { name: "z" } }],
      want: {
        ...doc(),
        spec: { replicas: 1, containers: [{ name: "z" }, { name: "a" }, { name: "b" }] },
      },
    },
    {
      name: "removes a list item by a negative index",
      patch: [{ op: "remove", path: "/spec/containers/-1" }],
      want: { ...doc(), spec: { replicas: 1, containers: [{ name: "a" }] } },
    },
    {
      name: "moves and copies values",
      patch: [
        { op: "copy", from: "/metadata/name", path: "/metadata/labels/name" },
        { op: "move", from: "/spec/replicas", path: "/spec/count" },
      ],
      want: {
        metadata: { name: "web", labels: { app: "web", name: "web" } },
        spec: { containers: [{ name: "a" }, { name: "b" }], count: 1 },
      },
    },
    {
      name: "passes a matching test",
      patch: [{ op: "test", path: "/spec/containers/1", value: { name: "b" } }],
      want: doc(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const input = doc();
      assert.deepEqual(applyJsonPatch(input, c.patch), c.want);
      assert.deepEqual(input, doc(), "the input is unchanged");
    });
  }

  const failures: {
    name: string;
    patch: unknown;
    type: new (message: string) => Error;
    message: string;
  }[] = [
    {
      name: "a failing test as a 422",
      patch: [{ op: "test", path: "/spec/replicas", value: 2 }],
      type: JsonPatchTestFailedError,
      message: "testing value /spec/replicas failed: test failed",
    },
    {
      name: "a missing parent",
      patch: [{ op: "add", path: "/status/phase", value: "x" }],
      type: PatchUnprocessableError,
      message: 'add operation does not apply: doc is missing path: "/status/phase": missing value',
    },
    {
      name: "replacing a missing key",
      patch: [{ op: "replace", path: "/spec/paused", value: true }],
      type: PatchUnprocessableError,
      message: "replace operation does not apply: doc is missing key: /spec/paused: missing value",
    },
    {
      name: "removing a missing key",
      patch: [{ op: "remove", path: "/spec/paused" }],
      type: PatchUnprocessableError,
      message:
        "error in remove for path: '/spec/paused': Unable to remove nonexistent key: paused: missing value",
    },
    {
      name: "an index past the end",
      patch: [{ op: "add", path: "/spec/containers/5", value: {} }],
      type: PatchUnprocessableError,
      message:
        "error in add for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced",
    },
    {
      name: "an unknown operation",
      patch: [{ op: "frobnicate", path: "/a" }],
      type: PatchUnprocessableError,
      message: "Unexpected kind: frobnicate",
    },
    {
      name: "a patch that is not a list as a 400",
      patch: { op: "add" },
      type: PatchBadRequestError,
      message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
    },
  ];
  for (const f of failures) {
    it(`rejects ${f.name}`, () => {
      assert.throws(
        () => applyJsonPatch(doc(), f.patch),
        (err: unknown) => err instanceof f.type && (err as Error).message === f.message,
      );
    });
  }

  it("answers test failures with 422 like upstream", () => {
    assert.equal(new JsonPatchTestFailedError("x").code, 422);
  });

  it("refuses more than 10000 operations with a 413", () => {
    const ops = Array.from({ length: 10001 }, () => ({
      op: "test",
      path: "/spec/replicas",
      value: 1,
    }));
    assert.throws(
      () => applyJsonPatch(doc(), ops),
      (err: unknown) => err instanceof PatchTooLargeError && err.code === 413,
    );
  });
});
