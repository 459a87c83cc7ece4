import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";
import {
  breakdownRule,
  compactRules,
  compactString,
  covers,
  goQuote,
  goQuoteList,
  nonResourceURLCovers,
  ruleCovers,
} from "../../../src/apiserver/rbac/covers.js";

const rule = (
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({
  verbs,
  nonResourceURLs,
});

describe("breakdownRule", () => {
  it("splits into one group × resource × verb (× name)", () => {
    assert.deepEqual(breakdownRule(rule(["get", "list"], ["", "apps"], ["pods"])), [
      rule(["get"], [""], ["pods"]),
      rule(["list"], [""], ["pods"]),
      rule(["get"], ["apps"], ["pods"]),
      rule(["list"], ["apps"], ["pods"]),
    ]);
    assert.deepEqual(breakdownRule(rule(["get"], [""], ["secrets"], ["a", "b"])), [
      rule(["get"], [""], ["secrets"], ["a"]),
      rule(["get"], [""], ["secrets"], ["b"]),
    ]);
  });

  it("pairs non-resource URLs with verbs only", () => {
    assert.deepEqual(breakdownRule(urls(["get", "post"], ["/healthz"])), [
      urls(["get"], ["/healthz"]),
      urls(["post"], ["/healthz"]),
    ]);
  });

  it("yields nothing for a rule without groups or resources", () => {
    assert.deepEqual(breakdownRule({ verbs: ["get"], resources: ["pods"] }), []);
    assert.deepEqual(breakdownRule({ verbs: [], apiGroups: [""], resources: ["pods"] }), []);
  });
});

describe("covers (upstream's policy_comparator cases)", () => {
  const cases: {
    name: string;
    owner: PolicyRule[];
    servant: PolicyRule[];
    uncovered: PolicyRule[];
  }[] = [
    {
      name: "exact match",
      owner: [rule(["get", "list"], [""], ["pods"])],
      servant: [rule(["get"], [""], ["pods"])],
      uncovered: [],
    },
    {
      name: "missing verb",
      owner: [rule(["get"], [""], ["pods"])],
      servant: [rule(["get", "delete"], [""], ["pods"])],
      uncovered: [rule(["delete"], [""], ["pods"])],
    },
    {
      name: "star verb, group and resource",
      owner: [rule(["*"], ["*"], ["*"])],
      servant: [rule(["delete", "escalate"], ["", "apps"], ["pods", "deployments/scale"])],
      uncovered: [],
    },
    {
      name: "star does not cover non-resource URLs",
      owner: [rule(["*"], ["*"], ["*"])],
      servant: [urls(["get"], ["/healthz"])],
      uncovered: [urls(["get"], ["/healthz"])],
    },
    {
      name: "wrong group",
      owner: [rule(["*"], ["apps"], ["*"])],
      servant: [rule(["get"], [""], ["pods"])],
      uncovered: [rule(["get"], [""], ["pods"])],
    },
    {
      name: "owner resource names do not cover an unnamed servant",
      owner: [rule(["get"], [""], ["secrets"], ["a"])],
      servant: [rule(["get"], [""], ["secrets"])],
      uncovered: [rule(["get"], [""], ["secrets"])],
    },
    {
      name: "an unnamed owner covers named servants; named owners cover their names",
      owner: [rule(["get"], [""], ["configmaps"]), rule(["get"], [""], ["secrets"], ["a", "b"])],
      servant: [
        rule(["get"], [""], ["configmaps"], ["x"]),
        rule(["get"], [""], ["secrets"], ["a", "c"]),
      ],
      uncovered: [rule(["get"], [""], ["secrets"], ["c"])],
    },
    {
      name: "subresource needs itself or */subresource",
      owner: [rule(["get"], [""], ["pods", "*/status"])],
      servant: [rule(["get"], [""], ["pods/status", "nodes/status", "pods/log", "pods"])],
      uncovered: [rule(["get"], [""], ["pods/log"])],
    },
    {
      name: "a resource does not cover its subresources",
      owner: [rule(["get"], [""], ["pods"])],
      servant: [rule(["get"], [""], ["pods/exec"])],
      uncovered: [rule(["get"], [""], ["pods/exec"])],
    },
    {
      name: "*/subresource does not cover the resource",
      owner: [rule(["get"], [""], ["*/scale"])],
      servant: [rule(["get"], ["apps"], ["deployments"])],
      uncovered: [rule(["get"], ["apps"], ["deployments"])],
    },
    {
      name: "non-resource URL prefix with star",
      owner: [urls(["get"], ["/apis/*", "/healthz"])],
      servant: [urls(["get"], ["/apis", "/apis/", "/apis/apps/v1", "/healthz", "/healthz/ping"])],
      uncovered: [urls(["get"], ["/apis"]), urls(["get"], ["/healthz/ping"])],
    },
    {
      name: "non-resource URL star covers everything; verbs still count",
      owner: [urls(["get"], ["*"])],
      servant: [urls(["get", "post"], ["/metrics"])],
      uncovered: [urls(["post"], ["/metrics"])],
    },
    {
      name: "resource rules do not cover non-resource URLs and vice versa",
      owner: [urls(["*"], ["*"])],
      servant: [rule(["get"], [""], ["pods"])],
      uncovered: [rule(["get"], [""], ["pods"])],
    },
    {
      name: "coverage by several owner rules together",
      owner: [rule(["get"], [""], ["pods"]), rule(["list"], ["*"], ["pods"])],
      servant: [rule(["get", "list"], [""], ["pods"])],
      uncovered: [],
    },
    {
      name: "the escalate verb is only covered by itself or *",
      owner: [rule(["get", "create", "update", "bind"], [""], ["*"])],
      servant: [rule(["escalate"], [""], ["roles"])],
      uncovered: [rule(["escalate"], [""], ["roles"])],
    },
    {
      name: "no servant rules",
      owner: [],
      servant: [],
      uncovered: [],
    },
    {
      name: "no owner rules",
      owner: [],
      servant: [rule(["get"], [""], ["pods"]), urls(["get"], ["/version"])],
      uncovered: [rule(["get"], [""], ["pods"]), urls(["get"], ["/version"])],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = covers(c.owner, c.servant);
      assert.deepEqual(result.uncovered, c.uncovered);
      assert.equal(result.covered, c.uncovered.length === 0);
    });
  }
});

describe("ruleCovers", () => {
  it("checks every field of an atomic rule", () => {
    assert.equal(ruleCovers(rule(["*"], [""], ["pods"]), rule(["watch"], [""], ["pods"])), true);
    assert.equal(
      ruleCovers(rule(["get"], ["*"], ["pods"]), rule(["get"], ["x.io"], ["pods"])),
      true,
    );
    assert.equal(ruleCovers(rule(["get"], [""], ["*"]), rule(["get"], [""], ["a/b"])), true);
    assert.equal(ruleCovers(rule(["get"], [""], ["pods"]), rule(["get"], [""], ["Pods"])), false);
  });

  it("matches URL prefixes only when the owner ends with *", () => {
    assert.equal(nonResourceURLCovers("/api", "/api/v1"), false);
    assert.equal(nonResourceURLCovers("/api*", "/apis"), true);
    assert.equal(nonResourceURLCovers("/api/*", "/api/v1"), true);
    assert.equal(nonResourceURLCovers("/a**", "/ab"), true);
    assert.equal(nonResourceURLCovers("*", "/anything"), true);
  });
});

describe("compactRules and compactString", () => {
  it("merges verbs of simple rules of one group and resource", () => {
    const compact = compactRules([
      rule(["get"], [""], ["pods"]),
      rule(["list"], [""], ["pods"]),
      rule(["get"], ["apps"], ["pods"]),
      rule(["get"], [""], ["secrets"], ["a"]),
      urls(["get"], ["/x"]),
    ]);
    assert.deepEqual(compact, [
      rule(["get"], [""], ["secrets"], ["a"]),
      urls(["get"], ["/x"]),
      rule(["get", "list"], [""], ["pods"]),
      rule(["get"], ["apps"], ["pods"]),
    ]);
  });

  it("prints rules as upstream's CompactString", () => {
    assert.equal(
      compactString(rule(["get", "list"], [""], ["pods"])),
      '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
    );
    assert.equal(
      compactString(rule(["get"], [""], ["secrets"], ["a"])),
      '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}',
    );
    assert.equal(
      compactString(urls(["get"], ["/healthz"])),
      '{NonResourceURLs:["/healthz"], Verbs:["get"]}',
    );
  });

  it("quotes as Go's %q", () => {
    assert.equal(goQuote('a"b\\c\n\x01'), '"a\\"b\\\\c\\n\\x01"');
    assert.equal(goQuoteList(["devs", "system:authenticated"]), '["devs" "system:authenticated"]');
    assert.equal(goQuoteList([]), "[]");
  });
});
