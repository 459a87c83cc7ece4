import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from "kubernetes-types/rbac/v1.js";
import { allowAllAuthorizer, newAuthorizer } from "../../../src/apiserver/authz.js";
import { parseRequestInfo } from "../../../src/apiserver/http/request-info.js";
import {
  aggregateMessage,
  attributesOf,
  RbacAuthorizer,
} from "../../../src/apiserver/rbac/authorizer.js";
import type { RbacObjects } from "../../../src/apiserver/rbac/types.js";

const RBAC = "rbac.authorization.k8s.io";

function objects(o: {
  clusterRoles?: ClusterRole[];
  roles?: Role[];
  clusterRoleBindings?: ClusterRoleBinding[];
  roleBindings?: RoleBinding[];
}): RbacObjects {
  return {
    clusterRole: (name) => o.clusterRoles?.find((r) => r.metadata?.name === name),
    role: (ns, name) =>
      o.roles?.find((r) => r.metadata?.namespace === ns && r.metadata?.name === name),
    clusterRoleBindings: () => o.clusterRoleBindings ?? [],
    roleBindings: (ns) => (o.roleBindings ?? []).filter((b) => b.metadata?.namespace === ns),
  };
}

const podReader: Role = {
  metadata: { name: "pod-reader", namespace: "default" },
  rules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }],
};
const metricsReader: ClusterRole = {
  metadata: { name: "metrics-reader" },
  rules: [{ verbs: ["get"], nonResourceURLs: ["/metrics"] }],
};
const nodeViewer: ClusterRole = {
  metadata: { name: "node-viewer" },
  rules: [{ verbs: ["list"], apiGroups: [""], resources: ["nodes"] }],
};
const secretsEditor: ClusterRole = {
  metadata: { name: "secrets-editor" },
  rules: [{ verbs: ["*"], apiGroups: [""], resources: ["secrets"] }],
};

const jane = { name: "jane", groups: ["devs", "system:authenticated"] };
const bob = { name: "bob", groups: ["system:authenticated"] };
const admin = { name: "admin", groups: ["system:masters", "system:authenticated"] };
const builder = { name: "system:serviceaccount:default:builder", groups: [] };

const world = objects({
  clusterRoles: [metricsReader, nodeViewer, secretsEditor],
  roles: [podReader],
  roleBindings: [
    {
      metadata: { name: "jane-reads-pods", namespace: "default" },
      roleRef: { apiGroup: RBAC, kind: "Role", name: "pod-reader" },
      subjects: [{ kind: "User", apiGroup: RBAC, name: "jane" }],
    },
    {
      metadata: { name: "builder-secrets", namespace: "default" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "secrets-editor" },
      subjects: [{ kind: "ServiceAccount", name: "builder" }],
    },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: "devs-metrics" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "metrics-reader" },
      subjects: [{ kind: "Group", apiGroup: RBAC, name: "devs" }],
    },
  ],
});

const info = (method: string, path: string, query = "") =>
  parseRequestInfo(method, path, new URLSearchParams(query));

describe("RbacAuthorizer", () => {
  const rbac = new RbacAuthorizer(world);

  it("allows through a RoleBinding only in its namespace", async () => {
    const d = await rbac.authorize(jane, info("GET", "/api/v1/namespaces/default/pods"));
    assert.deepEqual(d, {
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "jane-reads-pods/default" of Role "pod-reader" to User "jane"',
    });
    assert.ok(
      (await rbac.authorize(jane, info("GET", "/api/v1/namespaces/default/pods/x"))).allowed,
    );
    const elsewhere = await rbac.authorize(
      jane,
      info("GET", "/api/v1/namespaces/kube-system/pods"),
    );
    assert.deepEqual(elsewhere, { allowed: false, reason: "" });
    assert.ok(!(await rbac.authorize(jane, info("GET", "/api/v1/pods"))).allowed, "all namespaces");
    assert.ok(
      !(await rbac.authorize(jane, info("DELETE", "/api/v1/namespaces/default/pods/x"))).allowed,
    );
    assert.ok(
      !(await rbac.authorize(jane, info("GET", "/api/v1/namespaces/default/pods", "watch=1")))
        .allowed,
    );
    assert.ok(!(await rbac.authorize(bob, info("GET", "/api/v1/namespaces/default/pods"))).allowed);
  });

  it("allows through a ClusterRoleBinding everywhere, to groups, on non-resource URLs", async () => {
    const d = await rbac.authorize(jane, info("GET", "/metrics"));
    assert.deepEqual(d, {
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "devs-metrics" of ClusterRole "metrics-reader" to Group "devs"',
    });
    assert.ok(!(await rbac.authorize(jane, info("POST", "/metrics"))).allowed);
    assert.ok(!(await rbac.authorize(bob, info("GET", "/metrics"))).allowed);
  });

  it("binds a ClusterRole in one namespace through a RoleBinding; ServiceAccount subjects default to it", async () => {
    const d = await rbac.authorize(builder, info("DELETE", "/api/v1/namespaces/default/secrets/s"));
    assert.equal(
      d.reason,
      'RBAC: allowed by RoleBinding "builder-secrets/default" of ClusterRole "secrets-editor" to ServiceAccount "builder/default"',
    );
    assert.ok(
      !(await rbac.authorize(builder, info("GET", "/api/v1/namespaces/other/secrets"))).allowed,
    );
    assert.ok(!(await rbac.authorize(builder, info("GET", "/api/v1/secrets"))).allowed);
  });

  it("puts requests on a namespace object in that namespace", async () => {
    const a = attributesOf(info("GET", "/api/v1/namespaces/team"));
    assert.deepEqual(a, {
      isResource: true,
      verb: "get",
      group: "",
      resource: "namespaces",
      subresource: "",
      namespace: "team",
      name: "team",
    });
    const status = attributesOf(info("PUT", "/api/v1/namespaces/team/status"));
    assert.equal(status.isResource && status.namespace, "team");
    const list = attributesOf(info("GET", "/api/v1/namespaces"));
    assert.equal(list.isResource && list.namespace, "");
    const nsViewer = new RbacAuthorizer(
      objects({
        roles: [
          {
            metadata: { name: "ns-get", namespace: "team" },
            rules: [{ verbs: ["get"], apiGroups: [""], resources: ["namespaces"] }],
          },
        ],
        roleBindings: [
          {
            metadata: { name: "b", namespace: "team" },
            roleRef: { apiGroup: RBAC, kind: "Role", name: "ns-get" },
            subjects: [{ kind: "User", name: "jane" }],
          },
        ],
      }),
    );
    assert.ok((await nsViewer.authorize(jane, info("GET", "/api/v1/namespaces/team"))).allowed);
    assert.ok(!(await nsViewer.authorize(jane, info("GET", "/api/v1/namespaces/other"))).allowed);
  });

  it("names bindings whose roles are missing in the reason, and still allows through others", async () => {
    const broken = new RbacAuthorizer(
      objects({
        clusterRoles: [metricsReader],
        clusterRoleBindings: [
          {
            metadata: { name: "gone" },
            roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "nope" },
            subjects: [{ kind: "User", name: "jane" }],
          },
          {
            metadata: { name: "ok" },
            roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "metrics-reader" },
            subjects: [{ kind: "User", name: "jane" }],
          },
        ],
        roleBindings: [
          {
            metadata: { name: "missing-role", namespace: "default" },
            roleRef: { apiGroup: RBAC, kind: "Role", name: "absent" },
            subjects: [{ kind: "User", name: "jane" }],
          },
        ],
      }),
    );
    assert.deepEqual(await broken.authorize(jane, info("GET", "/api/v1/nodes")), {
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "nope" not found',
    });
    assert.deepEqual(await broken.authorize(jane, info("GET", "/api/v1/namespaces/default/pods")), {
      allowed: false,
      reason:
        'RBAC: [clusterrole.rbac.authorization.k8s.io "nope" not found, role.rbac.authorization.k8s.io "absent" not found]',
    });
    assert.ok((await broken.authorize(jane, info("GET", "/metrics"))).allowed);
    // Bindings that are not the user's are never resolved.
    assert.deepEqual(await broken.authorize(bob, info("GET", "/api/v1/nodes")), {
      allowed: false,
      reason: "",
    });
  });

  it("lists the rules a user holds in a namespace (cluster-wide ones first)", () => {
    const cluster = rbac.rulesFor(jane, "");
    assert.deepEqual(cluster, { rules: metricsReader.rules, incomplete: false, errors: [] });
    const inDefault = rbac.rulesFor(jane, "default");
    assert.deepEqual(inDefault.rules, [...(metricsReader.rules ?? []), ...(podReader.rules ?? [])]);
    assert.deepEqual(rbac.rulesFor(jane, "kube-system").rules, metricsReader.rules);
    const missing = new RbacAuthorizer(
      objects({
        clusterRoleBindings: [
          {
            metadata: { name: "x" },
            roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "nope" },
            subjects: [{ kind: "User", name: "jane" }],
          },
        ],
      }),
    ).rulesFor(jane, "default");
    assert.deepEqual(missing, {
      rules: [],
      incomplete: true,
      errors: ['clusterrole.rbac.authorization.k8s.io "nope" not found'],
    });
  });

  it("aggregates errors as Go does", () => {
    assert.equal(aggregateMessage(["a"]), "a");
    assert.equal(aggregateMessage(["a", "a"]), "a");
    assert.equal(aggregateMessage(["a", "b", "a"]), "[a, b]");
  });
});

describe("newAuthorizer", () => {
  it("RBAC: system:masters may do anything, others what RBAC allows", async () => {
    const authz = newAuthorizer("RBAC", world);
    assert.ok((await authz.authorize(admin, info("DELETE", "/api/v1/nodes/n1"))).allowed);
    assert.ok((await authz.authorize(admin, info("GET", "/metrics"))).allowed);
    assert.ok((await authz.authorize(jane, info("GET", "/metrics"))).allowed);
    assert.deepEqual(await authz.authorize(jane, info("GET", "/api/v1/nodes")), {
      allowed: false,
      reason: "",
    });
  });

  it("AlwaysAllow allows everything", async () => {
    const authz = newAuthorizer("AlwaysAllow", undefined);
    assert.equal(authz, allowAllAuthorizer);
    assert.ok((await authz.authorize(bob, info("DELETE", "/api/v1/nodes/n1"))).allowed);
  });

  it("RBAC needs its objects", () => {
    assert.throws(() => newAuthorizer("RBAC", undefined));
  });
});
