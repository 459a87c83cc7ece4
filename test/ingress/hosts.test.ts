import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostMatches, normalizeHost } from "../../src/ingress/hosts.js";

describe("ingress hosts", () => {
  it("normalizes Host headers: case, port, trailing dot, IPv6 brackets", () => {
    assert.equal(normalizeHost("Foo.Example.COM:8443"), "foo.example.com");
    assert.equal(normalizeHost("foo.example.com."), "foo.example.com");
    assert.equal(normalizeHost("[::1]:80"), "[::1]");
  });

  const cases: Array<[string, string, boolean]> = [
    ["foo.bar.com", "foo.bar.com", true],
    ["foo.bar.com", "bar.com", false],
    ["*.foo.com", "bar.foo.com", true],
    ["*.foo.com", "baz.bar.foo.com", false],
    ["*.foo.com", "foo.com", false],
    ["*.foo.com", ".foo.com", false],
  ];
  for (const [rule, host, want] of cases) {
    it(`${rule} ${want ? "matches" : "does not match"} ${host}`, () => {
      assert.equal(hostMatches(rule, host), want);
    });
  }
});
