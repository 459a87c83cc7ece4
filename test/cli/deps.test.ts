import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDependencies, DEPENDENCIES, missingPackages } from "../../src/cli/deps.js";

describe("system dependency check", () => {
  it("finds a dependency through any of its paths", () => {
    const present = new Set(["/usr/libexec/podman/catatonit", "/usr/sbin/runc"]);
    const statuses = checkDependencies((p) => present.has(p));
    const byPkg = new Map(statuses.map((s) => [s.dep.pkg, s.found]));
    assert.equal(byPkg.get("catatonit"), "/usr/libexec/podman/catatonit");
    assert.equal(byPkg.get("runc"), "/usr/sbin/runc");
    assert.equal(byPkg.get("iptables"), undefined);
  });

  it("names the Debian packages to install, never kubectl", () => {
    const missing = missingPackages(checkDependencies(() => false));
    assert.ok(missing.includes("containernetworking-plugins"));
    assert.ok(!missing.includes("kubectl"));
    assert.equal(missing.length, DEPENDENCIES.length - 1);
  });
});
