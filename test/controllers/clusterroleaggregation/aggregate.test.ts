import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClusterRole, PolicyRule } from "kubernetes-types/rbac/v1.js";
import { defaultClusterRoles } from "../../../src/apiserver/rbac/bootstrap-policy.js";
import {
  aggregatedRules,
  sameRules,
} from "../../../src/controllers/clusterroleaggregation/aggregate.js";

const role = (name: string, labels: Record<string, string>, rules: PolicyRule[]): ClusterRole => ({
  metadata: { name, labels },
  rules,
});
const r = (verb: string, resource: string): PolicyRule => ({
  verbs: [verb],
  apiGroups: [""],
  resources: [resource],
});

describe("clusterrole aggregation", () => {
  it("ignores roles without an aggregationRule", () => {
    assert.equal(aggregatedRules(role("plain", {}, [r("get", "pods")]), []), undefined);
  });

  it("unions the selected roles' rules in selector then name order, each once, not itself", () => {
    const agg: ClusterRole = {
      metadata: { name: "agg", labels: { a: "true" } },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { a: "true" } },
          { matchExpressions: [{ key: "b", operator: "Exists" }] },
        ],
      },
      rules: [r("delete", "everything")],
    };
    const all = [
      agg,
      role("z", { a: "true" }, [r("get", "pods"), r("list", "pods")]),
      role("y", { a: "true" }, [r("list", "pods"), r("get", "nodes")]),
      role("x", { b: "anything" }, [r("get", "pods"), r("watch", "secrets")]),
      role("w", { c: "true" }, [r("get", "forbidden")]),
    ];
    assert.deepEqual(aggregatedRules(agg, all), [
      r("list", "pods"),
      r("get", "nodes"),
      r("get", "pods"),
      r("watch", "secrets"),
    ]);
  });

  it("treats an absent rule list as empty and compares rules regardless of key order", () => {
    assert.ok(sameRules(undefined, []));
    assert.ok(
      sameRules(
        [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
        [{ resources: ["pods"], apiGroups: [""], verbs: ["get"] }],
      ),
    );
    assert.ok(!sameRules([r("get", "pods")], []));
  });

  it("fills admin, edit and view from the default policy once it has run to a fixed point", () => {
    const roles = defaultClusterRoles();
    for (let changed = true, rounds = 0; changed; rounds++) {
      assert.ok(rounds < 10, "aggregation does not converge");
      changed = false;
      for (const cr of roles) {
        const rules = aggregatedRules(cr, roles);
        if (rules && !sameRules(rules, cr.rules)) {
          cr.rules = rules;
          changed = true;
        }
      }
    }
    const rulesOf = (n: string) => roles.find((x) => x.metadata?.name === n)?.rules ?? [];
    const has = (n: string, verb: string, group: string, resource: string) =>
      rulesOf(n).some(
        (x) =>
          x.verbs.includes(verb) &&
          (x.apiGroups ?? []).includes(group) &&
          (x.resources ?? []).includes(resource),
      );
    assert.ok(has("view", "list", "apps", "deployments"));
    assert.ok(!has("view", "get", "", "secrets"));
    assert.ok(has("edit", "list", "apps", "deployments"), "edit includes view");
    assert.ok(has("edit", "create", "apps", "deployments"));
    assert.ok(has("admin", "create", "apps", "deployments"), "admin includes edit");
    assert.ok(has("admin", "create", "rbac.authorization.k8s.io", "rolebindings"));
    assert.ok(!has("edit", "create", "rbac.authorization.k8s.io", "rolebindings"));
  });
});
