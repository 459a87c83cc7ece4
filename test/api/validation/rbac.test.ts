import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
  validateRoleRefUnchanged,
} from "../../../src/api/validation/rbac.js";
import { messages } from "./helpers.js";

const ref = (kind: string, name = "reader") => ({
  apiGroup: "rbac.authorization.k8s.io",
  kind,
  name,
});

describe("RBAC", () => {
  it("requires verbs in every rule", () => {
    assert.deepEqual(
      messages(validateRole({ rules: [{ apiGroups: [""], resources: ["pods"] }] })),
      ["rules[0].verbs: Required value: verbs must contain at least one value"],
    );
  });

  it("requires api groups and resources for resource rules", () => {
    assert.deepEqual(messages(validateRole({ rules: [{ verbs: ["get"] }] })), [
      "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
      "rules[0].resources: Required value: resource rules must supply at least one resource",
    ]);
  });

  it("accepts a binding to a Role or ClusterRole", () => {
    assert.deepEqual(
      validateRoleBinding({
        roleRef: ref("Role"),
        subjects: [{ kind: "ServiceAccount", name: "default" }],
      }),
      [],
    );
  });

  it("only lets cluster role bindings reference ClusterRoles", () => {
    assert.deepEqual(messages(validateClusterRoleBinding({ roleRef: ref("Role") })), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    ]);
  });

  it("requires a namespace for service account subjects of cluster role bindings", () => {
    assert.deepEqual(
      messages(
        validateClusterRoleBinding({
          roleRef: ref("ClusterRole"),
          subjects: [{ kind: "ServiceAccount", name: "x" }],
        }),
      ),
      ["subjects[0].namespace: Required value"],
    );
  });

  it("forbids changing roleRef", () => {
    assert.deepEqual(
      messages(
        validateRoleRefUnchanged({ roleRef: ref("Role", "writer") }, { roleRef: ref("Role") }),
      ),
      [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"writer"}: cannot change roleRef',
      ],
    );
  });

  it("reports a changed roleRef on roleRef", () => {
    const errs = validateRoleRefUnchanged(
      { roleRef: ref("Role", "writer") },
      { roleRef: ref("Role") },
    );
    assert.deepEqual(
      errs.map((e) => [e.field, e.detail]),
      [["roleRef", "cannot change roleRef"]],
    );
  });
});
