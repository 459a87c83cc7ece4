import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appliesTo, describeSubject, firstApplying } from "../../../src/apiserver/rbac/subjects.js";

const jane = { name: "jane", groups: ["devs", "system:authenticated"] };
const sa = { name: "system:serviceaccount:team:builder", groups: ["system:serviceaccounts"] };

describe("RBAC subjects (upstream appliesToUser)", () => {
  it("matches a User by name and a Group by membership", () => {
    assert.ok(appliesTo({ kind: "User", name: "jane" }, jane, ""));
    assert.ok(!appliesTo({ kind: "User", name: "Jane" }, jane, ""));
    assert.ok(appliesTo({ kind: "Group", name: "devs" }, jane, "default"));
    assert.ok(!appliesTo({ kind: "Group", name: "ops" }, jane, "default"));
    assert.ok(!appliesTo({ kind: "Group", name: "jane" }, jane, ""));
    assert.ok(!appliesTo({ kind: "Robot", name: "jane" }, jane, ""));
  });

  it("matches a ServiceAccount by its username; no namespace means the binding's", () => {
    assert.ok(appliesTo({ kind: "ServiceAccount", name: "builder", namespace: "team" }, sa, ""));
    assert.ok(!appliesTo({ kind: "ServiceAccount", name: "builder", namespace: "other" }, sa, ""));
    assert.ok(appliesTo({ kind: "ServiceAccount", name: "builder" }, sa, "team"));
    assert.ok(!appliesTo({ kind: "ServiceAccount", name: "builder" }, sa, "other"));
    // In a ClusterRoleBinding a ServiceAccount without a namespace matches nobody.
    assert.ok(!appliesTo({ kind: "ServiceAccount", name: "builder" }, sa, ""));
    assert.ok(!appliesTo({ kind: "User", name: "builder" }, sa, "team"));
  });

  it("finds the first subject that applies and describes it as upstream", () => {
    const subjects = [
      { kind: "User", name: "bob" },
      { kind: "Group", name: "devs" },
      { kind: "User", name: "jane" },
    ];
    assert.deepEqual(firstApplying(subjects, jane, ""), { kind: "Group", name: "devs" });
    assert.equal(firstApplying(undefined, jane, ""), undefined);
    assert.equal(describeSubject({ kind: "User", name: "jane" }, ""), 'User "jane"');
    assert.equal(describeSubject({ kind: "Group", name: "devs" }, ""), 'Group "devs"');
    assert.equal(
      describeSubject({ kind: "ServiceAccount", name: "builder" }, "team"),
      'ServiceAccount "builder/team"',
    );
    assert.equal(
      describeSubject({ kind: "ServiceAccount", name: "builder", namespace: "ns" }, "team"),
      'ServiceAccount "builder/ns"',
    );
  });
});
