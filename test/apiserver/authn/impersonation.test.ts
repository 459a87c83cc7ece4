import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ImpersonationError,
  impersonationPlan,
} from "../../../src/apiserver/authn/impersonation.js";

describe("impersonation headers", () => {
  it("are optional: no headers, no plan", () => {
    assert.equal(impersonationPlan({ authorization: "Bearer x" }), undefined);
  });

  it("act as a user, authenticated", () => {
    const plan = impersonationPlan({ "impersonate-user": "jane" });
    assert.deepEqual(plan?.user, { name: "jane", groups: ["system:authenticated"] });
    assert.deepEqual(plan?.checks, [
      { group: "", resource: "users", subresource: "", namespace: "", name: "jane" },
    ]);
  });

  it("check every group, the uid and each extra value", () => {
    const plan = impersonationPlan({
      "impersonate-user": "jane",
      "impersonate-group": "devs, ops",
      "impersonate-uid": "1234",
      "impersonate-extra-scopes": "view, edit",
      "impersonate-extra-example.com%2fteam": "blue",
    });
    assert.deepEqual(plan?.user, {
      name: "jane",
      uid: "1234",
      groups: ["devs", "ops", "system:authenticated"],
      extra: { scopes: ["view", "edit"], "example.com/team": ["blue"] },
    });
    assert.deepEqual(
      plan?.checks.map((c) => `${c.group}/${c.resource}/${c.subresource}:${c.name}`),
      [
        "/users/:jane",
        "/groups/:devs",
        "/groups/:ops",
        "authentication.k8s.io/uids/:1234",
        "authentication.k8s.io/userextras/scopes:view",
        "authentication.k8s.io/userextras/scopes:edit",
        "authentication.k8s.io/userextras/example.com/team:blue",
      ],
    );
  });

  it("act as a service account with its groups, checked in its namespace", () => {
    const plan = impersonationPlan({ "impersonate-user": "system:serviceaccount:apps:builder" });
    assert.deepEqual(plan?.user.groups, [
      "system:serviceaccounts",
      "system:serviceaccounts:apps",
      "system:authenticated",
    ]);
    assert.deepEqual(plan?.checks, [
      {
        group: "",
        resource: "serviceaccounts",
        subresource: "",
        namespace: "apps",
        name: "builder",
      },
    ]);
  });

  it("leave system:anonymous unauthenticated", () => {
    assert.deepEqual(
      impersonationPlan({ "impersonate-user": "system:anonymous" })?.user.groups,
      [],
    );
  });

  it("refuse groups without a user", () => {
    assert.throws(() => impersonationPlan({ "impersonate-group": "devs" }), ImpersonationError);
  });
});
