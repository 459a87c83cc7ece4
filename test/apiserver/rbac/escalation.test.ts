import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClusterRole, PolicyRule, Role } from "kubernetes-types/rbac/v1.js";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import type {
  AdmissionAttributes,
  AdmissionPlugin,
} from "../../../src/apiserver/admission/chain.js";
import {
  rbacEscalation,
  ruleResolverOf,
} from "../../../src/apiserver/admission/rbac-escalation.js";
import { type Authorizer, allowAllAuthorizer } from "../../../src/apiserver/authz.js";
import type { RequestInfo } from "../../../src/apiserver/http/request-info.js";
import {
  checkBindingWrite,
  checkRoleWrite,
  confirmNoEscalation,
  type EscalationDeps,
  isOnlyMutatingGCFields,
} from "../../../src/apiserver/rbac/escalation.js";
import type { RuleResolver, RulesFor } from "../../../src/apiserver/rbac/types.js";
import type { UserInfo } from "../../../src/apiserver/registry/context.js";
import { ApiError } from "../../../src/apiserver/status.js";
import type { Store } from "../../../src/storage/types.js";

const jane: UserInfo = { name: "jane", groups: ["devs", "system:authenticated"] };
const admin: UserInfo = { name: "kubernetes-admin", groups: ["system:masters"] };

const pods = (...verbs: string[]): PolicyRule => ({ apiGroups: [""], resources: ["pods"], verbs });
const RBAC_WRITE: PolicyRule = {
  apiGroups: ["rbac.authorization.k8s.io"],
  resources: ["roles", "rolebindings"],
  verbs: ["create", "update", "get"],
};

/** Rules per namespace ("" = cluster-wide, which apply in every namespace). */
function resolver(
  byNamespace: Record<string, PolicyRule[]>,
  errors: string[] = [],
): RuleResolver & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    rulesFor(_user, namespace): RulesFor {
      calls.push(namespace);
      const rules = [
        ...(byNamespace[""] ?? []),
        ...(namespace ? (byNamespace[namespace] ?? []) : []),
      ];
      return { rules, incomplete: errors.length > 0, errors };
    },
  };
}

/** Allows the listed `verb resource/name@namespace` requests, recording every one asked. */
function authorizer(allowed: string[]): Authorizer & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async authorize(_user, r: RequestInfo) {
      if (!r.isResource) return { allowed: false };
      const key = `${r.verb} ${r.group}/${r.resource}/${r.name}@${r.namespace}`;
      asked.push(key);
      return { allowed: allowed.includes(key) };
    },
  };
}

const ROLES: Record<string, Role> = {
  "default/pod-reader": {
    metadata: { name: "pod-reader", namespace: "default" },
    rules: [pods("get", "list")],
  },
};
const CLUSTER_ROLES: Record<string, ClusterRole> = {
  admin: { metadata: { name: "admin" }, rules: [pods("*"), RBAC_WRITE] },
  view: { metadata: { name: "view" }, rules: [pods("get")] },
};
const roles = {
  role: async (ns: string, name: string) => ROLES[`${ns}/${name}`],
  clusterRole: async (name: string) => CLUSTER_ROLES[name],
};

function deps(
  rules: Record<string, PolicyRule[]>,
  allowed: string[] = [],
  errors: string[] = [],
): EscalationDeps & { authorizer: { asked: string[] }; ruleResolver: { calls: string[] } } {
  return { authorizer: authorizer(allowed), ruleResolver: resolver(rules, errors), roles };
}

const roleObj = (name: string, rules: PolicyRule[], extra: Record<string, unknown> = {}) =>
  ({ metadata: { name, namespace: "default" }, rules, ...extra }) as unknown as KubeObject;
const clusterRoleObj = (name: string, rules: PolicyRule[], extra: Record<string, unknown> = {}) =>
  ({ metadata: { name }, rules, ...extra }) as unknown as KubeObject;
const binding = (name: string, kind: "Role" | "ClusterRole", ref: string, ns = "default") =>
  ({
    metadata: { name, ...(ns ? { namespace: ns } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name: ref },
    subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "jane" }],
  }) as unknown as KubeObject;

async function rejects(p: Promise<unknown>, code: number, message: string): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status.message, message);
    return err;
  }
  assert.fail("expected a rejection");
}

const JANE = 'user "jane" (groups=["devs" "system:authenticated"])';

describe("Role and ClusterRole writes", () => {
  it("refuses a Role granting what the user does not hold, with upstream's message", async () => {
    const d = deps({ default: [pods("get", "list"), RBAC_WRITE] });
    const err = await rejects(
      checkRoleWrite(d, {
        kind: "Role",
        operation: "CREATE",
        user: jane,
        namespace: "default",
        requestName: "",
        object: roleObj("deleter", [pods("get", "delete", "deletecollection")]),
      }),
      403,
      `roles.rbac.authorization.k8s.io "deleter" is forbidden: ${JANE} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete" "deletecollection"]}`,
    );
    assert.equal(err.status.reason, "Forbidden");
    assert.deepEqual(err.status.details, {
      name: "deleter",
      group: "rbac.authorization.k8s.io",
      kind: "roles",
    });
    assert.deepEqual(d.authorizer.asked, ["escalate rbac.authorization.k8s.io/roles/@default"]);
    assert.deepEqual(d.ruleResolver.calls, ["default"]);
  });

  it("lists every missing rule sorted, one a line", async () => {
    const d = deps({});
    await rejects(
      checkRoleWrite(d, {
        kind: "ClusterRole",
        operation: "CREATE",
        user: jane,
        namespace: "",
        requestName: "",
        object: clusterRoleObj("x", [
          { apiGroups: ["apps", ""], resources: ["deployments"], verbs: ["get"] },
          { apiGroups: [""], resources: ["secrets"], resourceNames: ["b", "a"], verbs: ["get"] },
          { nonResourceURLs: ["/metrics"], verbs: ["get"] },
          pods("get"),
        ]),
      }),
      403,
      `clusterroles.rbac.authorization.k8s.io "x" is forbidden: ${JANE} is attempting to grant RBAC permissions not currently held:\n` +
        [
          '{APIGroups:[""], Resources:["deployments"], Verbs:["get"]}',
          '{APIGroups:[""], Resources:["pods"], Verbs:["get"]}',
          '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}',
          '{APIGroups:[""], Resources:["secrets"], ResourceNames:["b"], Verbs:["get"]}',
          '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}',
          '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
        ].join("\n"),
    );
    assert.deepEqual(d.ruleResolver.calls, [""]);
  });

  it("adds resolution errors", () => {
    const msg = confirmNoEscalation(
      resolver({}, ['clusterrole.rbac.authorization.k8s.io "gone" not found']),
      jane,
      "",
      [pods("get")],
    );
    assert.equal(
      msg,
      `${JANE} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}; resolution errors: [clusterrole.rbac.authorization.k8s.io "gone" not found]`,
    );
    const two = confirmNoEscalation(resolver({}, ["a", "b", "a"]), jane, "", [pods("get")]);
    assert.ok(two?.endsWith("; resolution errors: [[a, b]]"), two);
  });

  it("allows a Role within the user's own rules", async () => {
    const d = deps({ "": [pods("get")], default: [pods("list"), RBAC_WRITE] });
    await checkRoleWrite(d, {
      kind: "Role",
      operation: "CREATE",
      user: jane,
      namespace: "default",
      requestName: "",
      object: roleObj("reader", [pods("get", "list")]),
    });
  });

  it("does not let namespace rules cover a ClusterRole", async () => {
    const d = deps({ default: [pods("get")] });
    await rejects(
      checkRoleWrite(d, {
        kind: "ClusterRole",
        operation: "CREATE",
        user: jane,
        namespace: "",
        requestName: "",
        object: clusterRoleObj("reader", [pods("get")]),
      }),
      403,
      `clusterroles.rbac.authorization.k8s.io "reader" is forbidden: ${JANE} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`,
    );
  });

  it("lets system:masters and holders of escalate through without resolving rules", async () => {
    const d = deps({});
    await checkRoleWrite(d, {
      kind: "ClusterRole",
      operation: "CREATE",
      user: admin,
      namespace: "",
      requestName: "",
      object: clusterRoleObj("all", [pods("*")]),
    });
    assert.deepEqual(d.authorizer.asked, []);
    const e = deps({}, ["escalate rbac.authorization.k8s.io/clusterroles/all@"]);
    await checkRoleWrite(e, {
      kind: "ClusterRole",
      operation: "UPDATE",
      user: jane,
      namespace: "",
      requestName: "all",
      object: clusterRoleObj("all", [pods("*")]),
      oldObject: clusterRoleObj("all", []),
    });
    assert.deepEqual(e.ruleResolver.calls, []);
  });

  it("requires full authority for an aggregationRule, on create and when one is removed", async () => {
    const aggregation = {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: "b" } }] },
    };
    const message =
      'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule';
    await rejects(
      checkRoleWrite(deps({ "": [pods("*")] }), {
        kind: "ClusterRole",
        operation: "CREATE",
        user: jane,
        namespace: "",
        requestName: "",
        object: clusterRoleObj("agg", [], aggregation),
      }),
      403,
      message,
    );
    await rejects(
      checkRoleWrite(deps({ "": [pods("*")] }), {
        kind: "ClusterRole",
        operation: "UPDATE",
        user: jane,
        namespace: "",
        requestName: "agg",
        object: clusterRoleObj("agg", [pods("get")]),
        oldObject: clusterRoleObj("agg", [pods("get")], aggregation),
      }),
      403,
      message,
    );
    const full: PolicyRule[] = [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ];
    await checkRoleWrite(deps({ "": full }), {
      kind: "ClusterRole",
      operation: "CREATE",
      user: jane,
      namespace: "",
      requestName: "",
      object: clusterRoleObj("agg", [], aggregation),
    });
  });

  it("skips updates that only touch owner references and finalizers", async () => {
    const old = roleObj("r", [pods("delete")], {});
    const next = roleObj("r", [pods("delete")]);
    (next.metadata as Record<string, unknown>).finalizers = ["x"];
    (next.metadata as Record<string, unknown>).ownerReferences = [{ name: "o" }];
    (next.metadata as Record<string, unknown>).resourceVersion = "5";
    assert.equal(isOnlyMutatingGCFields(next, old), true);
    await checkRoleWrite(deps({}), {
      kind: "Role",
      operation: "UPDATE",
      user: jane,
      namespace: "default",
      requestName: "r",
      object: next,
      oldObject: old,
    });
    const labelled = roleObj("r", [pods("delete")]);
    (labelled.metadata as Record<string, unknown>).labels = { a: "b" };
    assert.equal(isOnlyMutatingGCFields(labelled, old), false);
  });
});

describe("RoleBinding and ClusterRoleBinding writes", () => {
  it("refuses binding a role whose rules the user lacks, with upstream's message", async () => {
    const d = deps({ default: [pods("get"), RBAC_WRITE] });
    const err = await rejects(
      checkBindingWrite(d, {
        kind: "RoleBinding",
        operation: "CREATE",
        user: jane,
        namespace: "default",
        object: binding("jane-admin", "ClusterRole", "admin"),
      }),
      403,
      `rolebindings.rbac.authorization.k8s.io "jane-admin" is forbidden: ${JANE} is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["*"]}`,
    );
    assert.deepEqual(err.status.details?.kind, "rolebindings");
    assert.deepEqual(d.authorizer.asked, [
      "bind rbac.authorization.k8s.io/clusterroles/admin@default",
    ]);
    assert.deepEqual(d.ruleResolver.calls, ["default"]);
  });

  it("allows binding with bind on the role, or when the user holds its rules", async () => {
    await checkBindingWrite(
      deps({}, ["bind rbac.authorization.k8s.io/clusterroles/admin@default"]),
      {
        kind: "RoleBinding",
        operation: "CREATE",
        user: jane,
        namespace: "default",
        object: binding("jane-admin", "ClusterRole", "admin"),
      },
    );
    await checkBindingWrite(deps({ default: [pods("get", "list")] }), {
      kind: "RoleBinding",
      operation: "CREATE",
      user: jane,
      namespace: "default",
      object: binding("readers", "Role", "pod-reader"),
    });
    const d = deps({ "": [pods("get")] });
    await checkBindingWrite(d, {
      kind: "ClusterRoleBinding",
      operation: "CREATE",
      user: jane,
      namespace: "",
      object: binding("view", "ClusterRole", "view", ""),
    });
    assert.deepEqual(d.authorizer.asked, ["bind rbac.authorization.k8s.io/clusterroles/view@"]);
    assert.deepEqual(d.ruleResolver.calls, [""]);
  });

  it("answers 404 for a missing role the user may not bind, and lets bind through without reading it", async () => {
    await rejects(
      checkBindingWrite(deps({ "": [pods("*")] }), {
        kind: "RoleBinding",
        operation: "CREATE",
        user: jane,
        namespace: "default",
        object: binding("b", "Role", "missing"),
      }),
      404,
      'roles.rbac.authorization.k8s.io "missing" not found',
    );
    await rejects(
      checkBindingWrite(deps({}), {
        kind: "ClusterRoleBinding",
        operation: "CREATE",
        user: jane,
        namespace: "",
        object: binding("b", "ClusterRole", "missing", ""),
      }),
      404,
      'clusterroles.rbac.authorization.k8s.io "missing" not found',
    );
    await checkBindingWrite(deps({}, ["bind rbac.authorization.k8s.io/roles/missing@default"]), {
      kind: "RoleBinding",
      operation: "CREATE",
      user: jane,
      namespace: "default",
      object: binding("b", "Role", "missing"),
    });
  });

  it("checks updates of subjects but not of finalizers alone", async () => {
    const old = binding("jane-admin", "ClusterRole", "admin");
    const next = binding("jane-admin", "ClusterRole", "admin");
    (next.metadata as Record<string, unknown>).finalizers = ["f"];
    await checkBindingWrite(deps({}), {
      kind: "RoleBinding",
      operation: "UPDATE",
      user: jane,
      namespace: "default",
      object: next,
      oldObject: old,
    });
    const more = binding("jane-admin", "ClusterRole", "admin");
    (more as { subjects: unknown[] }).subjects.push({ kind: "Group", name: "devs" });
    await assert.rejects(
      checkBindingWrite(deps({}), {
        kind: "RoleBinding",
        operation: "UPDATE",
        user: jane,
        namespace: "default",
        object: more,
        oldObject: old,
      }),
      (err: unknown) => err instanceof ApiError && err.code === 403,
    );
  });
});

function run(plugin: AdmissionPlugin, a: AdmissionAttributes): Promise<void> {
  assert.ok(plugin.validate);
  return plugin.validate(a);
}

describe("the RBACEscalation admission step", () => {
  const d = (plural: string) => {
    const found = BUILTIN_RESOURCES.find(
      (r) => r.group === "rbac.authorization.k8s.io" && r.plural === plural,
    );
    assert.ok(found);
    return found;
  };
  const attrs = (plural: string, object: KubeObject, over: Partial<AdmissionAttributes> = {}) =>
    ({
      operation: "CREATE",
      resource: d(plural),
      subresource: "",
      namespace: plural.startsWith("cluster") ? "" : "default",
      name: (object.metadata?.name as string | undefined) ?? "",
      object,
      oldObject: undefined,
      user: jane,
      dryRun: false,
      ...over,
    }) as AdmissionAttributes;
  const noStore = {} as Store;
  const rbacAuthorizer = (rules: Record<string, PolicyRule[]>, allowed: string[] = []) =>
    Object.assign(authorizer(allowed), resolver(rules));

  it("handles only creates and updates of the four RBAC kinds", () => {
    const plugin = rbacEscalation(noStore, { authorizer: () => allowAllAuthorizer, roles });
    assert.equal(plugin.handles(attrs("roles", roleObj("r", []))), true);
    assert.equal(
      plugin.handles(attrs("clusterrolebindings", binding("b", "ClusterRole", "x", ""))),
      true,
    );
    assert.equal(
      plugin.handles(attrs("roles", roleObj("r", []), { operation: "DELETE", object: undefined })),
      false,
    );
    const cm = BUILTIN_RESOURCES.find((r) => r.group === "" && r.plural === "configmaps");
    assert.ok(cm);
    assert.equal(plugin.handles(attrs("roles", roleObj("r", []), { resource: cm })), false);
  });

  it("allows everything while the authorizer resolves no rules (RBAC not enforced)", async () => {
    const plugin = rbacEscalation(noStore, { authorizer: () => allowAllAuthorizer, roles });
    await run(plugin, attrs("roles", roleObj("r", [pods("*")])));
    await run(plugin, attrs("rolebindings", binding("b", "ClusterRole", "admin")));
    assert.equal(ruleResolverOf(allowAllAuthorizer), undefined);
  });

  it("enforces with an authorizer that resolves rules", async () => {
    let current: Authorizer = rbacAuthorizer({ default: [pods("get")] });
    const plugin = rbacEscalation(noStore, { authorizer: () => current, roles });
    await run(plugin, attrs("roles", roleObj("r", [pods("get")])));
    await assert.rejects(
      run(plugin, attrs("roles", roleObj("r", [pods("delete")]))),
      /not currently held/,
    );
    await assert.rejects(
      run(plugin, attrs("rolebindings", binding("b", "ClusterRole", "admin"))),
      /rolebindings.rbac.authorization.k8s.io "b" is forbidden/,
    );
    current = rbacAuthorizer({}, ["bind rbac.authorization.k8s.io/clusterroles/admin@default"]);
    await run(plugin, attrs("rolebindings", binding("b", "ClusterRole", "admin")));
    await run(plugin, attrs("roles", roleObj("r", [pods("delete")]), { user: admin }));
  });

  it("asks escalate with the request's name on update and none on create", async () => {
    const a = rbacAuthorizer({ "": [pods("*")] });
    const plugin = rbacEscalation(noStore, { authorizer: () => a, roles });
    await run(plugin, attrs("clusterroles", clusterRoleObj("c", [pods("get")])));
    await run(
      plugin,
      attrs("clusterroles", clusterRoleObj("c", [pods("get")]), {
        operation: "UPDATE",
        oldObject: clusterRoleObj("c", []),
      }),
    );
    assert.deepEqual(a.asked, [
      "escalate rbac.authorization.k8s.io/clusterroles/@",
      "escalate rbac.authorization.k8s.io/clusterroles/c@",
    ]);
  });

  it("can be given the rule resolver explicitly, and none turns it off", async () => {
    const off = rbacEscalation(noStore, {
      authorizer: () => authorizer([]),
      ruleResolver: () => undefined,
      roles,
    });
    await run(off, attrs("roles", roleObj("r", [pods("*")])));
    const on = rbacEscalation(noStore, {
      authorizer: () => authorizer([]),
      ruleResolver: () => resolver({}),
      roles,
    });
    await assert.rejects(run(on, attrs("roles", roleObj("r", [pods("*")]))), /forbidden/);
  });
});
