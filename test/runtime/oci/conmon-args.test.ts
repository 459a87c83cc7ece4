import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conmonArgs } from "../../../src/runtime/oci/index.js";

describe("conmon's command line", () => {
  const base = {
    id: "c1",
    bundle: "/state/containers/c1",
    runtime: "/usr/sbin/runc",
    runtimeRoot: "/state/runc",
    logPath: "/logs/c1.log",
    exitDir: "/state/exits",
  };

  it("serves the attach socket in the bundle whatever its path length", () => {
    const args = conmonArgs(base);
    assert.ok(args.includes("--full-attach"));
    assert.equal(args[args.indexOf("--socket-dir-path") + 1], "/state/containers/c1");
    assert.ok(!args.includes("--stdin"));
  });

  it("keeps stdin open across attach sessions unless it is stdinOnce", () => {
    const open = conmonArgs({ ...base, stdin: true });
    assert.ok(open.includes("--stdin") && open.includes("--leave-stdin-open"));
    const once = conmonArgs({ ...base, stdin: true, stdinOnce: true });
    assert.ok(once.includes("--stdin") && !once.includes("--leave-stdin-open"));
  });
});
