import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Authorizer } from "../../../src/apiserver/authz.js";
import { aggregatedDiscovery, apiResourceList } from "../../../src/apiserver/discovery.js";
import {
  ACCESS_REVIEW_RESOURCES,
  isAccessReview,
  serveAccessReview,
} from "../../../src/apiserver/handlers/access-reviews.js";
import { parseRequestInfo } from "../../../src/apiserver/http/request-info.js";
import { writeStatus } from "../../../src/apiserver/http/respond.js";
import { buildOpenAPIV2 } from "../../../src/apiserver/openapi/v2.js";
import { openAPIV3GroupVersion } from "../../../src/apiserver/openapi/v3.js";
import type { RbacObjects } from "../../../src/apiserver/rbac/types.js";
import type { UserInfo } from "../../../src/apiserver/registry/context.js";
import { ApiError } from "../../../src/apiserver/status.js";

const ADMIN: UserInfo = { name: "admin", groups: ["system:masters", "system:authenticated"] };
const JANE: UserInfo = { name: "jane", groups: ["system:authenticated"] };

/** Like RBAC with one binding: system:masters may do anything, jane may only get pods in dev. */
const authz: Authorizer = {
  authorize: async (user, r) => {
    if (user.groups.includes("system:masters")) return { allowed: true };
    if (user.name === "jane" && r.isResource && r.resource === "pods" && r.verb === "get")
      return r.namespace === "dev"
        ? { allowed: true, reason: 'RBAC: allowed by RoleBinding "jane/dev"' }
        : { allowed: false };
    return { allowed: false };
  },
};

/** RBAC objects: cluster-admin bound to system:masters, a Role for jane in dev. */
const rbacObjects: RbacObjects = {
  clusterRole: (name) =>
    name === "cluster-admin"
      ? {
          metadata: { name },
          rules: [
            { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
            { verbs: ["*"], nonResourceURLs: ["*"] },
          ],
        }
      : undefined,
  role: (ns, name) =>
    ns === "dev" && name === "pod-reader"
      ? {
          metadata: { name, namespace: ns },
          rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
        }
      : undefined,
  clusterRoleBindings: () => [
    {
      metadata: { name: "cluster-admin" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "cluster-admin",
      },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }],
    },
  ],
  roleBindings: (ns) =>
    ns === "dev"
      ? [
          {
            metadata: { name: "jane", namespace: "dev" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
            subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "jane" }],
          },
        ]
      : [],
};

let server: Server;
let base = "";

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const info = parseRequestInfo(req.method ?? "GET", url.pathname, url.searchParams);
    const user = req.headers["x-user"] === "jane" ? JANE : ADMIN;
    const run = async () => {
      if (!info.isResource || !isAccessReview(info)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      await serveAccessReview({ authz, rbacObjects }, info, { req, res, user });
    };
    run().catch((err: unknown) => {
      if (err instanceof ApiError) writeStatus(res, err);
      else {
        res.statusCode = 500;
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(
  path: string,
  body: unknown,
  user = "admin",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-user": user },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const GV = "/apis/authorization.k8s.io/v1";

describe("access reviews over HTTP", () => {
  it("SelfSubjectAccessReview: 201 with the review echoed and its status", async () => {
    const spec = { resourceAttributes: { namespace: "default", verb: "create", resource: "pods" } };
    const r = await post(`${GV}/selfsubjectaccessreviews`, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: { creationTimestamp: null },
      spec,
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: true },
    });
  });

  it("SelfSubjectAccessReview answers for the caller: jane may not list pods", async () => {
    const r = await post(
      `${GV}/selfsubjectaccessreviews`,
      { spec: { resourceAttributes: { namespace: "default", verb: "list", resource: "pods" } } },
      "jane",
    );
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.status, { allowed: false });
  });

  it("SelfSubjectAccessReview without attributes is invalid (422, field path)", async () => {
    const r = await post(`${GV}/selfsubjectaccessreviews`, { spec: {} });
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, "Invalid");
    assert.equal(
      r.body.message,
      '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const details = r.body.details as { group: string; causes: Array<{ field: string }> };
    assert.equal(details.group, "authorization.k8s.io");
    assert.equal(details.causes[0]?.field, "spec.resourceAttributes");
  });

  it("SubjectAccessReview asks about spec.user and groups, not the caller", async () => {
    const yes = await post(`${GV}/subjectaccessreviews`, {
      spec: {
        user: "jane",
        resourceAttributes: { namespace: "dev", verb: "get", resource: "pods" },
      },
    });
    assert.equal(yes.status, 201);
    assert.deepEqual(yes.body.status, {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "jane/dev"',
    });
    const no = await post(`${GV}/subjectaccessreviews`, {
      spec: {
        user: "jane",
        resourceAttributes: { namespace: "default", verb: "list", resource: "pods" },
      },
    });
    assert.deepEqual(no.body.status, { allowed: false });
    const missing = await post(`${GV}/subjectaccessreviews`, {
      spec: { resourceAttributes: { verb: "get" } },
    });
    assert.equal(missing.status, 422);
    assert.match(
      String(missing.body.message),
      /spec\.user: Invalid value: "": at least one of user or group/,
    );
  });

  it("LocalSubjectAccessReview: namespaced, the namespace must match the path", async () => {
    const ok = await post(`${GV}/namespaces/dev/localsubjectaccessreviews`, {
      spec: {
        user: "jane",
        resourceAttributes: { namespace: "dev", verb: "get", resource: "pods" },
      },
    });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.body.metadata, { creationTimestamp: null, namespace: "dev" });
    assert.equal((ok.body.status as { allowed: boolean }).allowed, true);
    const bad = await post(`${GV}/namespaces/dev/localsubjectaccessreviews`, {
      spec: {
        user: "jane",
        resourceAttributes: { namespace: "prod", verb: "get", resource: "pods" },
      },
    });
    assert.equal(bad.status, 422);
    assert.match(
      String(bad.body.message),
      /spec\.resourceAttributes\.namespace: Invalid value: "prod": must match metadata\.namespace/,
    );
    const otherNs = await post(`${GV}/namespaces/dev/localsubjectaccessreviews`, {
      metadata: { namespace: "prod" },
      spec: { user: "jane", resourceAttributes: { namespace: "dev", verb: "get" } },
    });
    assert.equal(otherNs.status, 400);
    const clusterWide = await post(`${GV}/localsubjectaccessreviews`, { spec: {} });
    assert.equal(clusterWide.status, 404);
  });

  it("SelfSubjectRulesReview lists the caller's rules in the namespace", async () => {
    const admin = await post(`${GV}/selfsubjectrulesreviews`, { spec: { namespace: "default" } });
    assert.equal(admin.status, 201);
    assert.deepEqual(admin.body, {
      kind: "SelfSubjectRulesReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: {},
      status: {
        resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
        nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
        incomplete: false,
      },
    });
    const jane = await post(
      `${GV}/selfsubjectrulesreviews`,
      { spec: { namespace: "dev" } },
      "jane",
    );
    assert.deepEqual(jane.body.status, {
      resourceRules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
      nonResourceRules: [],
      incomplete: false,
    });
    const none = await post(`${GV}/selfsubjectrulesreviews`, { spec: {} });
    assert.equal(none.status, 400);
    assert.equal(none.body.message, "no namespace on request");
  });

  it("only create is allowed: other verbs get 405", async () => {
    const r = await fetch(`${base}${GV}/selfsubjectaccessreviews`);
    assert.equal(r.status, 405);
    const d = await fetch(`${base}${GV}/subjectaccessreviews`, { method: "DELETE" });
    assert.equal(d.status, 405);
    // No object paths exist (upstream registers only the collection's POST).
    const named = await fetch(`${base}${GV}/subjectaccessreviews/x`, { method: "DELETE" });
    assert.equal(named.status, 404);
  });

  it("a body of another kind or version is a bad request", async () => {
    const r = await post(`${GV}/selfsubjectaccessreviews`, {
      apiVersion: "authorization.k8s.io/v1beta1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: {} },
    });
    assert.equal(r.status, 400);
  });
});

describe("access reviews in discovery and OpenAPI", () => {
  it("are listed with verb create, only LocalSubjectAccessReview namespaced", () => {
    const list = apiResourceList(ACCESS_REVIEW_RESOURCES, "authorization.k8s.io", "v1") as {
      resources: Array<{ name: string; namespaced: boolean; verbs: string[]; kind: string }>;
    };
    assert.deepEqual(
      list.resources.map((r) => [r.name, r.namespaced, r.verbs, r.kind]),
      [
        ["localsubjectaccessreviews", true, ["create"], "LocalSubjectAccessReview"],
        ["selfsubjectaccessreviews", false, ["create"], "SelfSubjectAccessReview"],
        ["selfsubjectrulesreviews", false, ["create"], "SelfSubjectRulesReview"],
        ["subjectaccessreviews", false, ["create"], "SubjectAccessReview"],
      ],
    );
    const agg = aggregatedDiscovery(ACCESS_REVIEW_RESOURCES, { legacy: false, version: "v2" }) as {
      items: Array<{ metadata: { name: string } }>;
    };
    assert.deepEqual(
      agg.items.map((i) => i.metadata.name),
      ["authorization.k8s.io"],
    );
  });

  it("have create operations and schemas in /openapi/v2 and v3", () => {
    const v2 = buildOpenAPIV2(ACCESS_REVIEW_RESOURCES) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      definitions: Record<string, unknown>;
    };
    assert.equal(
      v2.paths[`${GV}/selfsubjectaccessreviews`]?.post?.operationId,
      "createAuthorizationV1SelfSubjectAccessReview",
    );
    assert.equal(
      v2.paths[`${GV}/namespaces/{namespace}/localsubjectaccessreviews`]?.post?.operationId,
      "createAuthorizationV1NamespacedLocalSubjectAccessReview",
    );
    assert.equal(v2.paths[`${GV}/selfsubjectaccessreviews/{name}`], undefined);
    assert.ok(v2.definitions["io.k8s.api.authorization.v1.SelfSubjectRulesReview"]);
    const v3 = openAPIV3GroupVersion(ACCESS_REVIEW_RESOURCES, "apis/authorization.k8s.io/v1") as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    assert.deepEqual(Object.keys(v3.paths).sort(), [
      `${GV}/namespaces/{namespace}/localsubjectaccessreviews`,
      `${GV}/selfsubjectaccessreviews`,
      `${GV}/selfsubjectrulesreviews`,
      `${GV}/subjectaccessreviews`,
    ]);
    for (const kind of [
      "SelfSubjectAccessReview",
      "SubjectAccessReview",
      "LocalSubjectAccessReview",
      "SelfSubjectRulesReview",
      "SubjectAccessReviewStatus",
      "SubjectRulesReviewStatus",
    ])
      assert.ok(v3.components.schemas[`io.k8s.api.authorization.v1.${kind}`], kind);
  });
});
