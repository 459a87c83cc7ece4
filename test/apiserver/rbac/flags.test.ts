import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildProgram } from "../../../src/cli/main.js";

describe("--authorization-mode", () => {
  for (const name of ["apiserver", "server"]) {
    it(`k8ts ${name} takes RBAC (the default) or AlwaysAllow`, () => {
      const command = buildProgram().commands.find((c) => c.name() === name);
      const option = command?.options.find((o) => o.long === "--authorization-mode");
      assert.ok(option, `k8ts ${name} has --authorization-mode`);
      assert.equal(option.defaultValue, "RBAC");
      assert.deepEqual(option.argChoices, ["RBAC", "AlwaysAllow"]);
    });
  }
});
