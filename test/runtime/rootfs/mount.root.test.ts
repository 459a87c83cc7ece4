// Root suite: overlay mounts of layers with an init layer.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  isMounted,
  mountOverlay,
  unmount,
  writeInitLayer,
} from "../../../src/runtime/rootfs/index.js";
import { tempDir } from "../../support/tmp.js";

describe("container root filesystems", () => {
  const dir = tempDir("rootfs");
  const target = join(dir.path, "merged");
  after(async () => {
    await unmount(target);
    dir.remove();
  });

  it("shows image layers, the init layer's /etc files and keeps writes in the container layer", async () => {
    const l1 = join(dir.path, "l1");
    const l2 = join(dir.path, "l2");
    mkdirSync(join(l1, "etc"), { recursive: true });
    writeFileSync(join(l1, "etc", "hostname"), "image\n");
    writeFileSync(join(l1, "gone"), "from l1");
    mkdirSync(l2);
    writeFileSync(join(l2, "new"), "from l2");
    // A whiteout in the upper image layer hides l1's file (overlayfs: a 0:0 character device).
    execFileSync("mknod", [join(l2, "gone"), "c", "0", "0"]);
    const init = join(dir.path, "init");
    writeInitLayer(init, { hostname: "web-0", resolvConf: "nameserver 10.43.0.10\n" });
    await mountOverlay(
      { lower: [init, l2, l1], upper: join(dir.path, "upper"), work: join(dir.path, "work") },
      target,
    );
    assert.ok(isMounted(target));
    assert.equal(readFileSync(join(target, "etc", "hostname"), "utf8"), "web-0\n");
    assert.equal(
      readFileSync(join(target, "etc", "resolv.conf"), "utf8"),
      "nameserver 10.43.0.10\n",
    );
    assert.match(readFileSync(join(target, "etc", "hosts"), "utf8"), /127\.0\.0\.1\tlocalhost/);
    assert.equal(readFileSync(join(target, "new"), "utf8"), "from l2");
    assert.equal(existsSync(join(target, "gone")), false, "the whiteout hides the lower file");
    writeFileSync(join(target, "written"), "by the container");
    assert.deepEqual(readdirSync(join(dir.path, "upper")), ["written"]);
    assert.equal(existsSync(join(l2, "written")), false, "image layers stay untouched");
    await unmount(target);
    assert.equal(isMounted(target), false);
    assert.ok(statSync(target).isDirectory());
  });
});
