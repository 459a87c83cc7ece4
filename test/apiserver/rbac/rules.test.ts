import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";
import {
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  rulesAllow,
} from "../../../src/apiserver/rbac/rules.js";
import type { Attributes } from "../../../src/apiserver/rbac/types.js";

const req = (over: Partial<Extract<Attributes, { isResource: true }>> = {}): Attributes => ({
  isResource: true,
  verb: "get",
  group: "",
  resource: "pods",
  subresource: "",
  namespace: "default",
  name: "",
  ...over,
});
const path = (p: string, verb = "get"): Attributes => ({ isResource: false, verb, path: p });
const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], ...r });

describe("RBAC rules (upstream RuleAllows)", () => {
  it("matches verbs exactly or by *", () => {
    const r = rule({ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] });
    assert.ok(ruleAllows(req({ verb: "get" }), r));
    assert.ok(ruleAllows(req({ verb: "list" }), r));
    assert.ok(!ruleAllows(req({ verb: "watch" }), r));
    assert.ok(!ruleAllows(req({ verb: "GET" }), r), "verbs are case-sensitive");
    const all = rule({ verbs: ["*"], apiGroups: [""], resources: ["pods"] });
    for (const verb of ["get", "deletecollection", "escalate", "impersonate"])
      assert.ok(ruleAllows(req({ verb }), all), verb);
  });

  it("matches API groups exactly or by *; the core group is the empty string", () => {
    const core = rule({ verbs: ["get"], apiGroups: [""], resources: ["*"] });
    assert.ok(ruleAllows(req(), core));
    assert.ok(!ruleAllows(req({ group: "apps", resource: "deployments" }), core));
    const apps = rule({ verbs: ["get"], apiGroups: ["apps"], resources: ["*"] });
    assert.ok(ruleAllows(req({ group: "apps", resource: "deployments" }), apps));
    assert.ok(!ruleAllows(req(), apps));
    const any = rule({ verbs: ["get"], apiGroups: ["*"], resources: ["*"] });
    assert.ok(ruleAllows(req({ group: "batch", resource: "jobs" }), any));
    assert.ok(!ruleAllows(req(), rule({ verbs: ["get"], resources: ["pods"] })), "no apiGroups");
  });

  it("matches resources, resource/subresource, */subresource and *", () => {
    assert.ok(resourceMatches(rule({ resources: ["pods"] }), "pods", ""));
    assert.ok(!resourceMatches(rule({ resources: ["pods"] }), "pods/log", "log"));
    assert.ok(resourceMatches(rule({ resources: ["pods/log"] }), "pods/log", "log"));
    assert.ok(!resourceMatches(rule({ resources: ["pods/log"] }), "pods", ""));
    assert.ok(resourceMatches(rule({ resources: ["*/status"] }), "deployments/status", "status"));
    assert.ok(!resourceMatches(rule({ resources: ["*/status"] }), "deployments", ""));
    assert.ok(!resourceMatches(rule({ resources: ["*/status"] }), "pods/log", "log"));
    assert.ok(resourceMatches(rule({ resources: ["*"] }), "pods/exec", "exec"));
    // Upstream has no "pods/*" wildcard: it is a literal subresource name.
    assert.ok(!resourceMatches(rule({ resources: ["pods/*"] }), "pods/log", "log"));
    assert.ok(!resourceMatches(rule({ resources: ["*/log"] }), "pods/logs", "logs"));
    const exec = rule({ verbs: ["create"], apiGroups: [""], resources: ["pods/exec"] });
    assert.ok(ruleAllows(req({ verb: "create", resource: "pods", subresource: "exec" }), exec));
    assert.ok(!ruleAllows(req({ verb: "create", resource: "pods" }), exec));
  });

  it("matches resourceNames only for requests naming one of them", () => {
    const named = rule({
      verbs: ["*"],
      apiGroups: [""],
      resources: ["configmaps"],
      resourceNames: ["a", "b"],
    });
    assert.ok(ruleAllows(req({ resource: "configmaps", name: "a" }), named));
    assert.ok(ruleAllows(req({ resource: "configmaps", name: "b", verb: "delete" }), named));
    assert.ok(!ruleAllows(req({ resource: "configmaps", name: "c" }), named));
    for (const verb of ["list", "watch", "create", "deletecollection"])
      assert.ok(
        !ruleAllows(req({ resource: "configmaps", verb }), named),
        `${verb} without a name`,
      );
    assert.ok(resourceNameMatches(rule({}), ""));
    assert.ok(resourceNameMatches(rule({ resourceNames: [] }), "x"));
  });

  it("matches non-resource URLs exactly, by a trailing * prefix, or by *", () => {
    assert.ok(nonResourceURLMatches(rule({ nonResourceURLs: ["/metrics"] }), "/metrics"));
    assert.ok(!nonResourceURLMatches(rule({ nonResourceURLs: ["/metrics"] }), "/metrics/slis"));
    assert.ok(nonResourceURLMatches(rule({ nonResourceURLs: ["/healthz*"] }), "/healthz"));
    assert.ok(nonResourceURLMatches(rule({ nonResourceURLs: ["/healthz*"] }), "/healthz/etcd"));
    assert.ok(nonResourceURLMatches(rule({ nonResourceURLs: ["/apis/*"] }), "/apis/apps/v1"));
    assert.ok(!nonResourceURLMatches(rule({ nonResourceURLs: ["/apis/*"] }), "/apis"));
    assert.ok(nonResourceURLMatches(rule({ nonResourceURLs: ["*"] }), "/anything"));
    const metrics = rule({ verbs: ["get"], nonResourceURLs: ["/metrics"] });
    assert.ok(ruleAllows(path("/metrics"), metrics));
    assert.ok(!ruleAllows(path("/metrics", "post"), metrics));
  });

  it("keeps resource and non-resource rules apart", () => {
    const resources = rule({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    assert.ok(!ruleAllows(path("/metrics"), resources));
    const urls = rule({ verbs: ["*"], nonResourceURLs: ["*"] });
    assert.ok(!ruleAllows(req(), urls));
    assert.ok(rulesAllow(path("/metrics"), [resources, urls]));
    assert.ok(!rulesAllow(req(), []));
  });
});
