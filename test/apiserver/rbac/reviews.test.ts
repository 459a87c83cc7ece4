import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";
import { type Authorizer, allowAllAuthorizer } from "../../../src/apiserver/authz.js";
import type { RequestInfo } from "../../../src/apiserver/http/request-info.js";
import {
  decide,
  decodeAccessReviewSpec,
  requestInfoFor,
  rulesReviewStatus,
  splitRules,
  subjectOf,
  validateLocalSubjectAccessReview,
  validateSelfSubjectAccessReview,
  validateSubjectAccessReview,
} from "../../../src/apiserver/rbac/reviews.js";
import type { RuleResolver } from "../../../src/apiserver/rbac/types.js";
import type { UserInfo } from "../../../src/apiserver/registry/context.js";
import { ApiError } from "../../../src/apiserver/status.js";
import { formatFieldErrors } from "../../../src/machinery/field-errors.js";

const jane: UserInfo = { name: "jane", groups: ["system:authenticated"] };

/** Remembers what it was asked; allows what `allow` says. */
function fakeAuthorizer(allow: (u: UserInfo, r: RequestInfo) => boolean, reason = "") {
  const asked: Array<{ user: UserInfo; request: RequestInfo }> = [];
  const authz: Authorizer = {
    authorize: async (user, request) => {
      asked.push({ user, request });
      return { allowed: allow(user, request), reason };
    },
  };
  return { authz, asked };
}

describe("access review attributes", () => {
  it("map resource attributes into a resource request, every version when none is given", () => {
    const info = requestInfoFor({
      resourceAttributes: { namespace: "dev", verb: "get", resource: "pods", name: "web" },
    });
    assert.deepEqual(info, {
      isResource: true,
      verb: "get",
      group: "",
      version: "*",
      namespace: "dev",
      resource: "pods",
      name: "web",
      subresource: "",
      path: "/api/*/namespaces/dev/pods/web",
    });
  });

  it("keep group, version, subresource and any verb (RBAC's use, bind, escalate, *)", () => {
    const info = requestInfoFor({
      resourceAttributes: {
        verb: "escalate",
        group: "rbac.authorization.k8s.io",
        version: "v1",
        resource: "clusterroles",
        subresource: "status",
        name: "admin",
      },
    });
    assert.ok(info.isResource);
    assert.equal(info.verb as string, "escalate");
    assert.equal(info.group, "rbac.authorization.k8s.io");
    assert.equal(info.version, "v1");
    assert.equal(info.namespace, "");
    assert.equal(info.subresource, "status");
  });

  it("map non-resource attributes into a non-resource request, verb as written", () => {
    assert.deepEqual(requestInfoFor({ nonResourceAttributes: { path: "/metrics", verb: "get" } }), {
      isResource: false,
      verb: "get",
      path: "/metrics",
      segments: ["metrics"],
    });
  });

  it("ask about spec.user, groups, uid and extra for a SubjectAccessReview", () => {
    const spec = decodeAccessReviewSpec(
      {
        spec: {
          user: "bob",
          groups: ["devs"],
          uid: "42",
          extra: { scopes: ["a"] },
          resourceAttributes: { verb: "list", resource: "pods", version: "" },
        },
      },
      "SubjectAccessReview",
    );
    assert.deepEqual(spec.resourceAttributes, { verb: "list", resource: "pods" });
    assert.deepEqual(subjectOf(spec), {
      name: "bob",
      groups: ["devs"],
      uid: "42",
      extra: { scopes: ["a"] },
    });
  });

  it("ignore subject fields on a SelfSubjectAccessReview", () => {
    const spec = decodeAccessReviewSpec(
      { spec: { user: "root", nonResourceAttributes: { path: "/x", verb: "get" } } },
      "SelfSubjectAccessReview",
    );
    assert.deepEqual(spec, { nonResourceAttributes: { path: "/x", verb: "get" } });
  });

  it("reject wrongly typed fields with a 400, as Go's decoder", () => {
    assert.throws(
      () =>
        decodeAccessReviewSpec({ spec: { resourceAttributes: "pods" } }, "SelfSubjectAccessReview"),
      (err: unknown) => err instanceof ApiError && err.code === 400,
    );
  });
});

describe("access review validation", () => {
  const messages = (errs: ReturnType<typeof validateSubjectAccessReview>) =>
    errs.length === 0 ? "" : formatFieldErrors(errs);

  it("needs exactly one of resourceAttributes and nonResourceAttributes", () => {
    assert.equal(
      messages(validateSelfSubjectAccessReview({}, {})),
      'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    assert.equal(
      messages(
        validateSelfSubjectAccessReview(
          {
            resourceAttributes: { verb: "get" },
            nonResourceAttributes: { path: "/x", verb: "get" },
          },
          {},
        ),
      ),
      'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes',
    );
    assert.equal(messages(validateSelfSubjectAccessReview({ resourceAttributes: {} }, {})), "");
  });

  it("needs a user or a group on a SubjectAccessReview", () => {
    const errs = validateSubjectAccessReview({ resourceAttributes: { verb: "get" } }, {});
    assert.deepEqual(
      errs.map((e) => e.field),
      ["spec.user"],
    );
    assert.equal(
      messages(errs),
      'spec.user: Invalid value: "": at least one of user or group must be specified',
    );
    assert.equal(
      validateSubjectAccessReview({ groups: ["g"], resourceAttributes: {} }, {}).length,
      0,
    );
  });

  it("wants metadata empty (managedFields aside)", () => {
    const errs = validateSelfSubjectAccessReview(
      { resourceAttributes: {} },
      { name: "x", creationTimestamp: null, managedFields: [{}] },
    );
    assert.equal(errs.length, 1);
    assert.equal(errs[0]?.field, "metadata");
    assert.match(messages(errs), /v1\.ObjectMeta\{Name:"x".*: must be empty$/);
    assert.equal(
      validateSelfSubjectAccessReview({ resourceAttributes: {} }, { creationTimestamp: null })
        .length,
      0,
    );
  });

  it("LocalSubjectAccessReview: namespace must match, no non-resource attributes", () => {
    assert.equal(
      messages(
        validateLocalSubjectAccessReview(
          { user: "u", resourceAttributes: { namespace: "other", verb: "get" } },
          { namespace: "dev" },
          "dev",
        ),
      ),
      'spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
    );
    assert.equal(
      messages(
        validateLocalSubjectAccessReview(
          { user: "u", resourceAttributes: { verb: "get" } },
          {},
          "dev",
        ),
      ),
      'spec.resourceAttributes.namespace: Invalid value: "": must match metadata.namespace',
    );
    assert.deepEqual(
      validateLocalSubjectAccessReview(
        { user: "u", nonResourceAttributes: { path: "/x", verb: "get" } },
        {},
        "dev",
      ).map((e) => e.field),
      ["spec.nonResourceAttributes"],
    );
    assert.equal(
      validateLocalSubjectAccessReview(
        { user: "u", resourceAttributes: { namespace: "dev", verb: "get" } },
        { namespace: "dev" },
        "dev",
      ).length,
      0,
    );
  });

  it("checks selector attributes: raw or requirements, not both, not neither", () => {
    assert.equal(
      messages(validateSelfSubjectAccessReview({ resourceAttributes: { labelSelector: {} } }, {})),
      "spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required",
    );
    assert.equal(
      messages(
        validateSelfSubjectAccessReview(
          { resourceAttributes: { fieldSelector: { rawSelector: "a=b", requirements: [{}] } } },
          {},
        ),
      ),
      'spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements',
    );
  });
});

describe("access review decisions", () => {
  it("ask the authorizer as the given user and report allowed and reason", async () => {
    const { authz, asked } = fakeAuthorizer(
      (_u, r) => r.isResource && r.resource === "pods",
      "RBAC: allowed by test",
    );
    const status = await decide(authz, jane, {
      resourceAttributes: { verb: "create", resource: "pods", namespace: "default" },
    });
    assert.deepEqual(status, { allowed: true, reason: "RBAC: allowed by test" });
    assert.equal(asked[0]?.user, jane);
    assert.equal(asked[0]?.request.isResource, true);
  });

  it("leave out an empty reason and denied (Go's omitempty)", async () => {
    const { authz } = fakeAuthorizer(() => false);
    assert.deepEqual(
      await decide(authz, jane, { nonResourceAttributes: { path: "/x", verb: "get" } }),
      {
        allowed: false,
      },
    );
  });

  it("turn an authorizer failure into an evaluation error", async () => {
    const failing: Authorizer = {
      authorize: async () => {
        throw new Error("cache not synced");
      },
    };
    assert.deepEqual(await decide(failing, jane, { resourceAttributes: { verb: "get" } }), {
      allowed: false,
      evaluationError: "cache not synced",
    });
  });
});

describe("SelfSubjectRulesReview", () => {
  const rules: PolicyRule[] = [
    { verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "pods/log"] },
    { verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"] },
    { verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics"] },
    {
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews"],
    },
  ];

  it("splits policy rules into resource and non-resource rules", () => {
    assert.deepEqual(splitRules(rules), {
      resourceRules: [
        { verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "pods/log"] },
        { verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"] },
        {
          verbs: ["create"],
          apiGroups: ["authorization.k8s.io"],
          resources: ["selfsubjectaccessreviews"],
        },
      ],
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics"] }],
    });
  });

  it("asks the rule resolver for the user's rules in the namespace", () => {
    const seen: Array<[string, string]> = [];
    const resolver: RuleResolver = {
      rulesFor: (user, ns) => {
        seen.push([user.name, ns]);
        return { rules, incomplete: false, errors: [] };
      },
    };
    const authz = { ...fakeAuthorizer(() => false).authz, ...resolver };
    const status = rulesReviewStatus(authz, jane, "dev");
    assert.deepEqual(seen, [["jane", "dev"]]);
    assert.equal(status.incomplete, false);
    assert.equal(status.evaluationError, undefined);
    assert.equal(status.resourceRules.length, 3);
    assert.equal(status.nonResourceRules.length, 1);
  });

  it("uses the separate resolver when the authorizer lists no rules itself", () => {
    const resolver: RuleResolver = {
      rulesFor: () => ({
        rules: [rules[0] as PolicyRule],
        incomplete: true,
        errors: ['clusterrole.rbac.authorization.k8s.io "gone" not found'],
      }),
    };
    const status = rulesReviewStatus(fakeAuthorizer(() => false).authz, jane, "dev", resolver);
    assert.equal(status.incomplete, true);
    assert.equal(status.evaluationError, 'clusterrole.rbac.authorization.k8s.io "gone" not found');
    assert.equal(status.resourceRules.length, 1);
  });

  it("aggregates several errors as Go does", () => {
    const resolver: RuleResolver = {
      rulesFor: () => ({ rules: [], incomplete: true, errors: ["a", "b", "a"] }),
    };
    const status = rulesReviewStatus(fakeAuthorizer(() => false).authz, jane, "dev", resolver);
    assert.equal(status.evaluationError, "[a, b]");
    assert.deepEqual(status.resourceRules, []);
    assert.deepEqual(status.nonResourceRules, []);
  });

  it("is incomplete with an evaluation error when nothing can list rules", () => {
    const status = rulesReviewStatus(fakeAuthorizer(() => true).authz, jane, "dev");
    assert.equal(status.incomplete, true);
    assert.match(status.evaluationError ?? "", /does not support user rule resolution/);
  });

  it("gives everything under the allow-all authorizer, as upstream's AlwaysAllow", () => {
    assert.deepEqual(rulesReviewStatus(allowAllAuthorizer, jane, "dev"), {
      resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
      nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
      incomplete: false,
    });
  });
});
