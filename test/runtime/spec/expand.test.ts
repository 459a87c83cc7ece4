import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expand, expandEnv, lookupIn } from "../../../src/runtime/spec/expand.js";

describe("$(VAR) expansion", () => {
  const vars = lookupIn({
    VAR_A: "A",
    VAR_B: "B",
    VAR_C: "C",
    VAR_EMPTY: "",
    MESSAGE: "hello world",
  });
  // Cases from the kubelet's expansion tests and the Kubernetes docs.
  const table: [string, string, string][] = [
    ["a defined variable is replaced", "$(VAR_A)", "A"],
    ["several references in one word are replaced", "___$(VAR_B)___$(VAR_C)", "___B___C"],
    ["an empty value is substituted", "x$(VAR_EMPTY)x", "xx"],
    ["an undefined variable is left as written", "$(VAR_DNE)", "$(VAR_DNE)"],
    ["$$ escapes a reference", "$$(VAR_B)", "$(VAR_B)"],
    ["$$$ escapes then expands", "$$$(VAR_A)", "$A"],
    ["$$$$ yields two dollars", "$$$$(VAR_A)", "$$(VAR_A)"],
    ["a lone $ before other text stays", "$VAR_A", "$VAR_A"],
    ["a trailing $ stays", "foo$", "foo$"],
    ["an unclosed reference stays", "$(VAR_A", "$(VAR_A"],
    ["an empty reference expands to itself", "$()", "$()"],
    ["a dollar before a space stays", "$ $(VAR_A)", "$ A"],
    ["the docs' echo example is expanded", 'echo "$(MESSAGE)"', 'echo "hello world"'],
    ["text without references is unchanged", "plain text", "plain text"],
    ["nested parentheses end at the first close", "$(VAR_A)$(VAR_B))", "AB)"],
  ];
  for (const [name, input, want] of table) {
    it(name, () => assert.equal(expand(input, vars), want));
  }
});

describe("container environment", () => {
  it("expands each value against the entries before it", () => {
    const env = expandEnv([
      { name: "FIRST", value: "one" },
      { name: "SECOND", value: "$(FIRST)-two" },
      { name: "THIRD", value: "$(FOURTH)" },
      { name: "FOURTH", value: "four" },
    ]);
    assert.deepEqual(Object.fromEntries(env), {
      FIRST: "one",
      SECOND: "one-two",
      THIRD: "$(FOURTH)",
      FOURTH: "four",
    });
  });

  it("lets a later entry override an earlier one at its first position", () => {
    const env = expandEnv(
      [
        { name: "A", value: "x" },
        { name: "A", value: "$(A)y" },
      ],
      { base: { FROM_CONFIGMAP: "cm" } },
    );
    assert.deepEqual(
      [...env],
      [
        ["FROM_CONFIGMAP", "cm"],
        ["A", "xy"],
      ],
    );
  });

  it("resolves service variables last and never lets them override an entry", () => {
    const env = expandEnv(
      [
        { name: "URL", value: "http://$(KUBERNETES_SERVICE_HOST):443" },
        { name: "KUBERNETES_SERVICE_PORT", value: "mine" },
      ],
      { services: { KUBERNETES_SERVICE_HOST: "10.43.0.1", KUBERNETES_SERVICE_PORT: "443" } },
    );
    assert.equal(env.get("URL"), "http://10.43.0.1:443");
    assert.equal(env.get("KUBERNETES_SERVICE_PORT"), "mine");
    assert.equal(env.get("KUBERNETES_SERVICE_HOST"), "10.43.0.1");
  });
});
