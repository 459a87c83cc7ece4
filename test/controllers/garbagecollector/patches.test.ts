import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  removeFinalizerPatch,
  removeOwnerRefsPatch,
  unblockOwnerRefsPatch,
} from "../../../src/controllers/garbagecollector/patches.js";

const a = { apiVersion: "v1", kind: "ConfigMap", name: "a", uid: "ua", blockOwnerDeletion: true };
const b = { apiVersion: "v1", kind: "ConfigMap", name: "b", uid: "ub" };

describe("garbage collector patches", () => {
  it("removes owner references, testing the UID and the list it was computed from", () => {
    assert.deepEqual(removeOwnerRefsPatch({ uid: "x", ownerReferences: [a, b] }, ["ua"]), [
      { op: "test", path: "/metadata/uid", value: "x" },
      { op: "test", path: "/metadata/ownerReferences", value: [a, b] },
      { op: "replace", path: "/metadata/ownerReferences", value: [b] },
    ]);
  });

  it("removes the list when the last reference goes", () => {
    const ops = removeOwnerRefsPatch({ uid: "x", ownerReferences: [a] }, ["ua"]);
    assert.deepEqual(ops?.at(-1), { op: "remove", path: "/metadata/ownerReferences" });
  });

  it("patches nothing when the reference is already gone", () => {
    assert.equal(removeOwnerRefsPatch({ uid: "x", ownerReferences: [b] }, ["ua"]), undefined);
    assert.equal(removeOwnerRefsPatch({ uid: "x" }, ["ua"]), undefined);
  });

  it("clears blockOwnerDeletion on blocking references only", () => {
    const ops = unblockOwnerRefsPatch({ uid: "x", ownerReferences: [a, b] });
    assert.deepEqual(ops?.at(-1), {
      op: "replace",
      path: "/metadata/ownerReferences",
      value: [{ ...a, blockOwnerDeletion: false }, b],
    });
    assert.equal(unblockOwnerRefsPatch({ uid: "x", ownerReferences: [b] }), undefined);
  });

  it("removes one finalizer and keeps the others", () => {
    assert.deepEqual(
      removeFinalizerPatch({ uid: "x", finalizers: ["orphan", "example.com/keep"] }, "orphan"),
      [
        { op: "test", path: "/metadata/uid", value: "x" },
        { op: "test", path: "/metadata/finalizers", value: ["orphan", "example.com/keep"] },
        { op: "replace", path: "/metadata/finalizers", value: ["example.com/keep"] },
      ],
    );
    assert.deepEqual(removeFinalizerPatch({ uid: "x", finalizers: ["orphan"] }, "orphan")?.at(-1), {
      op: "remove",
      path: "/metadata/finalizers",
    });
    assert.equal(removeFinalizerPatch({ uid: "x", finalizers: [] }, "orphan"), undefined);
  });
});
