import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  comparePrecedence,
  type PathRule,
  type PathType,
  pathMatches,
  requestPath,
} from "../../src/ingress/paths.js";

// The Ingress documentation's examples table: rule type, rule path, request, match?
const DOCUMENTED: Array<[PathType, string, string, boolean]> = [
  ["Prefix", "/", "/", true],
  ["Prefix", "/", "/anything/at/all", true],
  ["Exact", "/foo", "/foo", true],
  ["Exact", "/foo", "/bar", false],
  ["Exact", "/foo", "/foo/", false],
  ["Exact", "/foo/", "/foo", false],
  ["Prefix", "/foo", "/foo", true],
  ["Prefix", "/foo", "/foo/", true],
  ["Prefix", "/foo/", "/foo", true],
  ["Prefix", "/foo/", "/foo/", true],
  ["Prefix", "/aaa/bb", "/aaa/bbb", false],
  ["Prefix", "/aaa/bbb", "/aaa/bbb", true],
  ["Prefix", "/aaa/bbb/", "/aaa/bbb", true],
  ["Prefix", "/aaa/bbb", "/aaa/bbb/", true],
  ["Prefix", "/aaa/bbb", "/aaa/bbb/ccc", true],
  ["Prefix", "/aaa/bbb", "/aaa/bbbxyz", false],
  ["Prefix", "/aaa", "/ccc", false],
  ["Prefix", "/foo", "/FOO", false],
  ["ImplementationSpecific", "/foo", "/foo/bar", true],
  ["ImplementationSpecific", "/foo", "/foobar", false],
];

describe("ingress path matching", () => {
  for (const [pathType, path, request, want] of DOCUMENTED) {
    it(`${pathType} ${path} ${want ? "matches" : "does not match"} ${request}`, () => {
      assert.equal(pathMatches({ pathType, path }, request), want);
    });
  }

  it("takes the path of a request target without query, fragment or absolute-form authority", () => {
    assert.equal(requestPath("/a/b?x=1"), "/a/b");
    assert.equal(requestPath("/a#frag"), "/a");
    assert.equal(requestPath("http://example.com/a/b?q"), "/a/b");
    assert.equal(requestPath("http://example.com"), "/");
  });

  it("orders rules longest first, Exact before Prefix before ImplementationSpecific at equal length", () => {
    const rules: PathRule[] = [
      { pathType: "Prefix", path: "/" },
      { pathType: "ImplementationSpecific", path: "/foo" },
      { pathType: "Prefix", path: "/foo/" },
      { pathType: "Exact", path: "/foo" },
      { pathType: "Prefix", path: "/foo/bar" },
    ];
    const sorted = [...rules].sort(comparePrecedence).map((r) => `${r.pathType} ${r.path}`);
    assert.deepEqual(sorted, [
      "Prefix /foo/bar",
      "Exact /foo",
      "Prefix /foo/",
      "ImplementationSpecific /foo",
      "Prefix /",
    ]);
  });
});
