// Root suite: named network namespaces. (`ip netns` makes /run/netns a
// shared bind mount of itself once per boot, as containerd does; that mount
// is the host's, not the test's, and is left in place.)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readlinkSync } from "node:fs";
import { after, describe, it } from "node:test";
import { createNetns, NetnsError, removeNetns } from "../../src/network/netns.js";

describe("named network namespaces", () => {
  const name = `k8ts-test-${process.pid}`;
  after(async () => {
    await removeNetns(name);
  });

  it("creates a namespace with only loopback, up, and removes it", async () => {
    const path = await createNetns(name);
    assert.ok(existsSync(path));
    const links = execFileSync("ip", ["-n", name, "-o", "link"], { encoding: "utf8" });
    assert.match(links, /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    assert.equal(links.trim().split("\n").length, 1, links);
    const inside = execFileSync("ip", ["netns", "exec", name, "readlink", "/proc/self/ns/net"], {
      encoding: "utf8",
    }).trim();
    assert.notEqual(inside, readlinkSync("/proc/self/ns/net"));
    await assert.rejects(createNetns(name), NetnsError, "a second namespace of the same name");
    await removeNetns(name);
    assert.ok(!existsSync(path));
    await removeNetns(name);
  });

  it("refuses names that are paths", async () => {
    await assert.rejects(createNetns("../etc"), /invalid network namespace name/);
  });
});
