import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAPPING_LABEL,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  defaultNamespaceRoleBindings,
  defaultNamespaceRoles,
  rule,
} from "../../../src/apiserver/rbac/bootstrap-policy.js";

const byName = <T extends { metadata?: { name?: string } }>(xs: T[], name: string): T => {
  const found = xs.find((x) => x.metadata?.name === name);
  assert.ok(found, `${name} is missing`);
  return found;
};

describe("default RBAC policy", () => {
  const roles = defaultClusterRoles();
  const bindings = defaultClusterRoleBindings();

  it("has upstream's cluster roles, each labelled and auto-updated", () => {
    for (const name of [
      "cluster-admin",
      "admin",
      "edit",
      "view",
      "system:aggregate-to-admin",
      "system:aggregate-to-edit",
      "system:aggregate-to-view",
      "system:basic-user",
      "system:discovery",
      "system:public-info-viewer",
      "system:monitoring",
      "system:service-account-issuer-discovery",
      "system:node-proxier",
      "system:kube-scheduler",
      "system:kube-controller-manager",
      "system:kube-dns",
      "system:node",
      "system:auth-delegator",
      "system:volume-scheduler",
    ])
      byName(roles, name);
    for (const o of [
      ...roles,
      ...bindings,
      ...defaultNamespaceRoles(),
      ...defaultNamespaceRoleBindings(),
    ]) {
      assert.equal(o.metadata?.labels?.[BOOTSTRAPPING_LABEL], "rbac-defaults", o.metadata?.name);
      assert.equal(o.metadata?.annotations?.[AUTOUPDATE_ANNOTATION], "true", o.metadata?.name);
    }
    const names = roles.map((r) => r.metadata?.name ?? "");
    assert.deepEqual(names, [...names].sort());
    assert.equal(new Set(names).size, names.length);
  });

  it("makes admin, edit and view aggregated roles chained by labels", () => {
    const sel = (n: string) => byName(roles, n).aggregationRule?.clusterRoleSelectors;
    assert.deepEqual(sel("admin"), [
      { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } },
    ]);
    assert.deepEqual(sel("edit"), [
      { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } },
    ]);
    assert.deepEqual(sel("view"), [
      { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
    ]);
    assert.equal(
      byName(roles, "edit").metadata?.labels?.["rbac.authorization.k8s.io/aggregate-to-admin"],
      "true",
    );
    assert.equal(
      byName(roles, "view").metadata?.labels?.["rbac.authorization.k8s.io/aggregate-to-edit"],
      "true",
    );
    assert.deepEqual(byName(roles, "admin").rules, []);
  });

  it("gives the public roles upstream's rules", () => {
    assert.deepEqual(byName(roles, "cluster-admin").rules, [
      { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
      { verbs: ["*"], nonResourceURLs: ["*"] },
    ]);
    assert.deepEqual(byName(roles, "system:discovery").rules, [
      {
        verbs: ["get"],
        nonResourceURLs: [
          "/api",
          "/api/*",
          "/apis",
          "/apis/*",
          "/healthz",
          "/livez",
          "/openapi",
          "/openapi/*",
          "/readyz",
          "/version",
          "/version/",
        ],
      },
    ]);
    assert.deepEqual(byName(roles, "system:public-info-viewer").rules, [
      {
        verbs: ["get"],
        nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"],
      },
    ]);
    assert.deepEqual(byName(roles, "system:basic-user").rules, [
      {
        verbs: ["create"],
        apiGroups: ["authorization.k8s.io"],
        resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      },
      {
        verbs: ["create"],
        apiGroups: ["authentication.k8s.io"],
        resources: ["selfsubjectreviews"],
      },
    ]);
    const view = byName(roles, "system:aggregate-to-view").rules ?? [];
    assert.ok(
      view.some(
        (r) =>
          r.apiGroups?.includes("apps") &&
          r.resources?.includes("deployments") &&
          r.verbs.includes("watch"),
      ),
    );
    assert.ok(!view.some((r) => r.resources?.includes("secrets")), "view must not read secrets");
    const edit = byName(roles, "system:aggregate-to-edit").rules ?? [];
    assert.ok(edit.some((r) => r.resources?.includes("secrets") && r.verbs.includes("get")));
  });

  it("sorts verbs, groups, resources and names as upstream's rule builder", () => {
    assert.deepEqual(rule(["watch", "get"], ["events.k8s.io", ""], ["b", "a"], ["y", "x"]), {
      verbs: ["get", "watch"],
      apiGroups: ["", "events.k8s.io"],
      resources: ["a", "b"],
      resourceNames: ["x", "y"],
    });
  });

  it("binds the well-known groups and users", () => {
    const subjects = (n: string) =>
      (byName(bindings, n).subjects ?? []).map((s) =>
        s.kind === "ServiceAccount" ? `${s.kind}:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`,
      );
    assert.deepEqual(subjects("cluster-admin"), ["Group:system:masters"]);
    assert.deepEqual(subjects("system:basic-user"), ["Group:system:authenticated"]);
    assert.deepEqual(subjects("system:discovery"), ["Group:system:authenticated"]);
    assert.deepEqual(subjects("system:public-info-viewer"), [
      "Group:system:authenticated",
      "Group:system:unauthenticated",
    ]);
    assert.deepEqual(subjects("system:monitoring"), ["Group:system:monitoring"]);
    assert.deepEqual(subjects("system:service-account-issuer-discovery"), [
      "Group:system:serviceaccounts",
    ]);
    assert.deepEqual(subjects("system:kube-scheduler"), ["User:system:kube-scheduler"]);
    assert.deepEqual(subjects("system:kube-controller-manager"), [
      "User:system:kube-controller-manager",
    ]);
    assert.deepEqual(subjects("system:node-proxier"), ["User:system:kube-proxy"]);
    assert.deepEqual(subjects("system:kube-dns"), ["ServiceAccount:kube-system/kube-dns"]);
    assert.deepEqual(subjects("system:node"), []);
  });

  it("binds only roles that exist", () => {
    const roleNames = new Set(roles.map((r) => r.metadata?.name));
    for (const b of bindings) assert.ok(roleNames.has(b.roleRef.name), b.metadata?.name);
    const nsRoles = new Set(
      defaultNamespaceRoles().map((r) => `${r.metadata?.namespace}/${r.metadata?.name}`),
    );
    for (const b of defaultNamespaceRoleBindings())
      assert.ok(nsRoles.has(`${b.metadata?.namespace}/${b.roleRef.name}`), b.metadata?.name);
  });

  it("returns fresh objects on every call", () => {
    const a = defaultClusterRoles();
    a[0]?.rules?.push({ verbs: ["x"] });
    assert.notDeepEqual(a[0], defaultClusterRoles()[0]);
  });
});
