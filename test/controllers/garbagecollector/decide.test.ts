import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyRefs, decideDependent } from "../../../src/controllers/garbagecollector/decide.js";
import type { OwnerReference } from "../../../src/controllers/garbagecollector/identity.js";

const ref = (uid: string): OwnerReference => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name: uid,
  uid,
});
const present = (o: { deleting?: boolean; finalizers?: string[] } = {}) =>
  ({ kind: "present", beingDeleted: o.deleting ?? false, finalizers: o.finalizers ?? [] }) as const;
const absent = { kind: "absent" } as const;
const foreground = present({ deleting: true, finalizers: ["foregroundDeletion"] });

describe("classifying owner references", () => {
  it("sorts owners into solid, dangling and waiting for their dependents", () => {
    const r = classifyRefs([
      { ref: ref("live"), state: present() },
      { ref: ref("orphaning"), state: present({ deleting: true, finalizers: ["orphan"] }) },
      { ref: ref("gone"), state: absent },
      { ref: ref("fg"), state: foreground },
    ]);
    assert.deepEqual(
      r.solid.map((x) => x.uid),
      ["live", "orphaning"],
    );
    assert.deepEqual(
      r.dangling.map((x) => x.uid),
      ["gone"],
    );
    assert.deepEqual(
      r.waiting.map((x) => x.uid),
      ["fg"],
    );
  });
});

describe("deciding a dependent's fate", () => {
  const decide = (
    states: Array<[string, ReturnType<typeof present> | typeof absent]>,
    o: { finalizers?: string[]; dependents?: { deletingDependents: boolean }[] } = {},
  ) =>
    decideDependent({
      refs: classifyRefs(states.map(([uid, state]) => ({ ref: ref(uid), state }))),
      finalizers: o.finalizers ?? [],
      dependents: o.dependents ?? [],
    });

  it("keeps an object with a live owner", () => {
    assert.deepEqual(decide([["a", present()]]), { kind: "keep" });
  });

  it("drops references to gone or foreground-deleting owners while a live one remains", () => {
    assert.deepEqual(
      decide([
        ["a", present()],
        ["b", absent],
        ["c", foreground],
      ]),
      { kind: "removeOwnerRefs", uids: ["b", "c"] },
    );
  });

  it("deletes in the background once every owner is gone", () => {
    assert.deepEqual(
      decide([
        ["a", absent],
        ["b", absent],
      ]),
      { kind: "delete", policy: "Background", unblockFirst: false },
    );
  });

  it("honours a deletion policy already chosen on the object", () => {
    assert.equal(
      (decide([["a", absent]], { finalizers: ["orphan"] }) as { policy: string }).policy,
      "Orphan",
    );
    assert.equal(
      (decide([["a", absent]], { finalizers: ["foregroundDeletion"] }) as { policy: string })
        .policy,
      "Foreground",
    );
  });

  it("deletes in the foreground when a waiting owner's dependent has dependents itself", () => {
    assert.deepEqual(decide([["a", foreground]], { dependents: [{ deletingDependents: false }] }), {
      kind: "delete",
      policy: "Foreground",
      unblockFirst: false,
    });
  });

  it("unblocks its references first when its own dependents are deleting theirs (cycle guard)", () => {
    assert.deepEqual(decide([["a", foreground]], { dependents: [{ deletingDependents: true }] }), {
      kind: "delete",
      policy: "Foreground",
      unblockFirst: true,
    });
  });

  it("deletes a leaf whose owner waits for it in the background", () => {
    assert.deepEqual(decide([["a", foreground]]), {
      kind: "delete",
      policy: "Background",
      unblockFirst: false,
    });
  });
});
