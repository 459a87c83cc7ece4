import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { writeLayerFromUpper } from "../../../src/runtime/images/diff.js";
import { sha256Digest } from "../../../src/runtime/images/digest.js";
import { DigestMismatchError, UnsafeLayerPathError } from "../../../src/runtime/images/errors.js";
import { unpackLayer } from "../../../src/runtime/images/layers.js";
import { readAll, readTar } from "../../../src/runtime/images/tar-stream.js";
import { tempDir } from "../../support/tmp.js";
import { buildTar, chunks, rawTar, type TestEntry } from "./helpers.js";

// Needs root (chown, mknod, trusted.* xattrs) and the attr package (setfattr/getfattr).

function xattr(path: string, name: string): string | undefined {
  try {
    return execFileSync("getfattr", ["-h", "--only-values", "-n", name, path], {
      stdio: ["ignore", "pipe", "ignore"],
    }).toString();
  } catch {
    return undefined;
  }
}

describe("layer unpacking", () => {
  let dir: { path: string; remove: () => void };
  let n = 0;
  const fresh = () => join(dir.path, `t${n++}`);
  before(() => {
    dir = tempDir("layers");
  });
  after(() => dir.remove());

  test("files, directories, symlinks and hardlinks keep modes, owners and times", async () => {
    const target = fresh();
    const tar = await buildTar([
      { name: "./", type: "dir", mode: 0o755 },
      { name: "usr/", type: "dir", mode: 0o755, mtime: 1_600_000_000 },
      { name: "usr/bin/", type: "dir", mode: 0o750, uid: 1000, gid: 1001 },
      {
        name: "usr/bin/tool",
        type: "file",
        mode: 0o4755,
        data: "#!/bin/sh\n",
        mtime: 1_500_000_000,
      },
      { name: "usr/bin/alias", type: "symlink", linkname: "tool", uid: 7, gid: 8 },
      { name: "usr/bin/hard", type: "link", linkname: "usr/bin/tool" },
      { name: "bin", type: "symlink", linkname: "usr/bin" },
      { name: "bin/via-link", type: "file", data: "through an in-layer symlink" },
      { name: "fifo", type: "fifo", mode: 0o600 },
      { name: "home/user/file", type: "file", uid: 1000, gid: 1000, data: "implicit parents" },
    ]);
    const result = await unpackLayer(chunks(gzipSync(tar)), target);
    assert.equal(result.diffId, sha256Digest(tar));
    const tool = lstatSync(join(target, "usr/bin/tool"));
    assert.equal(tool.mode & 0o7777, 0o4755);
    assert.equal(tool.mtimeMs, 1_500_000_000_000);
    assert.equal(tool.nlink, 2);
    assert.equal(lstatSync(join(target, "usr/bin/hard")).ino, tool.ino);
    const bin = lstatSync(join(target, "usr/bin"));
    assert.equal(bin.mode & 0o7777, 0o750);
    assert.deepEqual([bin.uid, bin.gid], [1000, 1001]);
    assert.equal(lstatSync(join(target, "usr")).mtimeMs, 1_600_000_000_000);
    assert.equal(readlinkSync(join(target, "usr/bin/alias")), "tool");
    assert.deepEqual(
      [lstatSync(join(target, "usr/bin/alias")).uid, lstatSync(join(target, "usr/bin/alias")).gid],
      [7, 8],
    );
    assert.equal(
      readFileSync(join(target, "usr/bin/via-link"), "utf8"),
      "through an in-layer symlink",
    );
    assert.ok(lstatSync(join(target, "fifo")).isFIFO());
    assert.equal(readFileSync(join(target, "home/user/file"), "utf8"), "implicit parents");
  });

  test("whiteouts become 0:0 character devices and opaque dirs get trusted.overlay.opaque=y", async () => {
    const target = fresh();
    const tar = await buildTar([
      { name: "etc/", type: "dir" },
      { name: "etc/.wh.motd", type: "file", data: "" },
      { name: "var/lib/", type: "dir" },
      { name: "var/lib/.wh..wh..opq", type: "file", data: "" },
      { name: "var/lib/kept", type: "file", data: "new" },
    ]);
    await unpackLayer(chunks(tar), target);
    const motd = lstatSync(join(target, "etc/motd"));
    assert.ok(motd.isCharacterDevice());
    assert.equal(motd.rdev, 0);
    assert.equal(existsSync(join(target, "etc/.wh.motd")), false);
    assert.equal(xattr(join(target, "var/lib"), "trusted.overlay.opaque"), "y");
    assert.equal(existsSync(join(target, "var/lib/.wh..wh..opq")), false);
    assert.equal(readFileSync(join(target, "var/lib/kept"), "utf8"), "new");
  });

  test("in delete mode whiteouts remove the paths below them", async () => {
    const target = fresh();
    await unpackLayer(
      chunks(
        await buildTar([
          { name: "a/old", type: "file", data: "1" },
          { name: "b/x", type: "file", data: "2" },
          { name: "b/y", type: "file", data: "3" },
        ]),
      ),
      target,
      { whiteouts: "delete" },
    );
    await unpackLayer(
      chunks(
        await buildTar([
          { name: "a/.wh.old", type: "file" },
          { name: "b/.wh..wh..opq", type: "file" },
          { name: "b/z", type: "file", data: "4" },
        ]),
      ),
      target,
      { whiteouts: "delete" },
    );
    assert.deepEqual(readdirSync(join(target, "a")), []);
    assert.deepEqual(readdirSync(join(target, "b")), ["z"]);
  });

  test("pax xattrs such as security.capability are applied", async () => {
    const target = fresh();
    const cap = Buffer.from("0100000200200000000000000000000000000000", "hex");
    await unpackLayer(
      chunks(
        await buildTar([
          {
            name: "ping",
            type: "file",
            mode: 0o755,
            data: "x",
            xattrs: { "security.capability": cap },
          },
        ]),
      ),
      target,
    );
    const hex = execFileSync("getfattr", [
      "-e",
      "hex",
      "--only-values",
      "-n",
      "security.capability",
      join(target, "ping"),
    ]);
    assert.deepEqual(hex, cap);
  });

  test("a layer whose content does not match its diff id is refused", async () => {
    const tar = await buildTar([{ name: "a", type: "file", data: "x" }]);
    await assert.rejects(
      unpackLayer(chunks(tar), fresh(), { expectedDiffId: sha256Digest("other") }),
      DigestMismatchError,
    );
  });

  describe("malicious layers write nothing outside the target", () => {
    const cases: [string, TestEntry[]][] = [
      ["an absolute path", [{ name: "/OUTSIDE/pwned", type: "file", data: "x" }]],
      ["a .. traversal", [{ name: "../OUTSIDE/pwned", type: "file", data: "x" }]],
      ["a deep .. traversal", [{ name: "a/b/../../../OUTSIDE/pwned", type: "file", data: "x" }]],
      [
        "a parent through an absolute symlink",
        [
          { name: "escape", type: "symlink", linkname: "/OUTSIDE" },
          { name: "escape/pwned", type: "file", data: "x" },
        ],
      ],
      [
        "a parent through a relative symlink that climbs out",
        [
          { name: "d/", type: "dir" },
          { name: "d/up", type: "symlink", linkname: "../../OUTSIDE" },
          { name: "d/up/pwned", type: "file", data: "x" },
        ],
      ],
      [
        "a hardlink to an absolute target",
        [{ name: "passwd", type: "link", linkname: "/OUTSIDE/secret" }],
      ],
      [
        "a hardlink climbing out",
        [{ name: "passwd", type: "link", linkname: "../OUTSIDE/secret" }],
      ],
      [
        "a hardlink through an escaping symlink",
        [
          { name: "s", type: "symlink", linkname: "../OUTSIDE" },
          { name: "passwd", type: "link", linkname: "s/secret" },
        ],
      ],
      [
        "a whiteout through an escaping symlink",
        [
          { name: "s", type: "symlink", linkname: "/OUTSIDE" },
          { name: "s/.wh.secret", type: "file" },
        ],
      ],
    ];
    for (const [label, entries] of cases) {
      test(`${label} is refused`, async () => {
        const base = fresh();
        const target = join(base, "rootfs");
        const outside = join(base, "OUTSIDE");
        mkdirSync(outside, { recursive: true });
        writeFileSync(join(outside, "secret"), "keep");
        // Rewrite /OUTSIDE to the sandbox so an escape would land next to the target, not on the host.
        const rewritten = entries.map((e) => ({
          ...e,
          name: e.name.replace("/OUTSIDE", outside),
          ...(e.linkname ? { linkname: e.linkname.replace("/OUTSIDE", outside) } : {}),
        }));
        await assert.rejects(unpackLayer(chunks(rawTar(rewritten)), target), UnsafeLayerPathError);
        assert.deepEqual(readdirSync(outside), ["secret"]);
        assert.equal(readFileSync(join(outside, "secret"), "utf8"), "keep");
        assert.equal(existsSync(join(base, "pwned")), false);
      });
    }
  });
});

describe("layer diff from an overlay upper directory", () => {
  let dir: { path: string; remove: () => void };
  before(() => {
    dir = tempDir("diff");
  });
  after(() => dir.remove());

  test("deletions become .wh. entries, opaque dirs .wh..wh..opq, and the tar unpacks back to the same tree", async () => {
    const upper = join(dir.path, "upper");
    mkdirSync(join(upper, "etc"), { recursive: true });
    mkdirSync(join(upper, "var/cache"), { recursive: true });
    writeFileSync(join(upper, "etc/hostname"), "box\n");
    execFileSync("ln", ["-s", "hostname", join(upper, "etc/name")]);
    execFileSync("ln", [join(upper, "etc/hostname"), join(upper, "etc/hard")]);
    execFileSync("mknod", [join(upper, "etc/removed"), "c", "0", "0"]);
    execFileSync("setfattr", ["-n", "trusted.overlay.opaque", "-v", "y", join(upper, "var/cache")]);
    writeFileSync(join(upper, "var/cache/fresh"), "1");

    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on("data", (c: Buffer) => parts.push(c));
    await writeLayerFromUpper(upper, out);
    const tar = Buffer.concat(parts);
    const names: string[] = [];
    for await (const { header, body } of readTar(chunks(tar))) {
      names.push(`${header.type}:${header.name}${header.linkname ? `->${header.linkname}` : ""}`);
      await readAll(body);
    }
    assert.deepEqual(names, [
      "dir:etc/",
      "file:etc/hard",
      "link:etc/hostname->etc/hard",
      "symlink:etc/name->hostname",
      "file:etc/.wh.removed",
      "dir:var/",
      "dir:var/cache/",
      "file:var/cache/.wh..wh..opq",
      "file:var/cache/fresh",
    ]);

    const back = join(dir.path, "back");
    await unpackLayer(chunks(tar), back);
    assert.ok(lstatSync(join(back, "etc/removed")).isCharacterDevice());
    assert.equal(xattr(join(back, "var/cache"), "trusted.overlay.opaque"), "y");
    assert.equal(readFileSync(join(back, "etc/hostname"), "utf8"), "box\n");
    assert.equal(lstatSync(join(back, "etc/hard")).ino, lstatSync(join(back, "etc/hostname")).ino);
  });
});
