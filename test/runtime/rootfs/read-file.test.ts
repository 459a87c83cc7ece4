import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readRootfsFile, resolveInRoot } from "../../../src/runtime/rootfs/read-file.js";
import { tempDir } from "../../support/tmp.js";

describe("reading a file of a container's root from the host", () => {
  const dir = tempDir("rootfs-read");
  const root = join(dir.path, "root");
  mkdirSync(join(root, "etc"), { recursive: true });
  mkdirSync(join(root, "usr/lib"), { recursive: true });
  writeFileSync(join(root, "etc/group"), "root:x:0:\n");
  writeFileSync(join(root, "usr/lib/passwd"), "app:x:5:5::/:/bin/sh\n");
  symlinkSync("/usr/lib/passwd", join(root, "etc/passwd"));
  symlinkSync("../../../../../../etc/hostname", join(root, "etc/escape"));
  symlinkSync("loop", join(root, "etc/loop"));
  after(() => dir.remove());

  it("reads a plain file", async () => {
    assert.equal(await readRootfsFile(root, "/etc/group"), "root:x:0:\n");
  });

  it("follows an absolute symlink inside the root, not on the host", async () => {
    assert.equal(await readRootfsFile(root, "/etc/passwd"), "app:x:5:5::/:/bin/sh\n");
    assert.equal(await resolveInRoot(root, "/etc/passwd"), join(root, "usr/lib/passwd"));
  });

  it("keeps a relative symlink climbing out at the root", async () => {
    assert.equal(await resolveInRoot(root, "/etc/escape"), join(root, "etc/hostname"));
    assert.equal(await readRootfsFile(root, "/etc/escape"), "");
  });

  it("answers empty for a missing file and fails on a symlink loop", async () => {
    assert.equal(await readRootfsFile(root, "/etc/shadow"), "");
    await assert.rejects(readRootfsFile(root, "/etc/loop"), /too many symbolic links/);
  });
});
