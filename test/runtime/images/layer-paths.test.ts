import assert from "node:assert/strict";
import { test } from "node:test";
import { UnsafeLayerPathError } from "../../../src/runtime/images/errors.js";
import {
  classifyWhiteout,
  entryComponents,
  resolveInRoot,
} from "../../../src/runtime/images/layer-paths.js";

test("entry names are cleaned of ./, empty parts and trailing slashes", () => {
  assert.deepEqual(entryComponents("./usr//bin/"), ["usr", "bin"]);
  assert.deepEqual(entryComponents("./"), []);
  assert.deepEqual(entryComponents("a/b/../c"), ["a", "c"]);
});

test("absolute names and .. escapes are refused", () => {
  assert.throws(() => entryComponents("/etc/passwd"), UnsafeLayerPathError);
  assert.throws(() => entryComponents("../evil"), UnsafeLayerPathError);
  assert.throws(() => entryComponents("a/../../evil"), UnsafeLayerPathError);
});

test(".wh.<name> deletes <name> in the same directory", () => {
  assert.deepEqual(classifyWhiteout(["etc", ".wh.motd"]), {
    kind: "whiteout",
    target: ["etc", "motd"],
  });
});

test(".wh..wh..opq makes its directory opaque", () => {
  assert.deepEqual(classifyWhiteout(["var", "lib", ".wh..wh..opq"]), {
    kind: "opaque",
    dir: ["var", "lib"],
  });
});

test("other .wh..wh. names are aufs metadata and ignored", () => {
  assert.deepEqual(classifyWhiteout([".wh..wh.plnk", "123"]), { kind: "none" });
  assert.deepEqual(classifyWhiteout([".wh..wh.aufs"]), { kind: "meta" });
});

test("ordinary names are not whiteouts", () => {
  assert.deepEqual(classifyWhiteout(["etc", "wh.conf"]), { kind: "none" });
});

test("a whiteout of . or .. is refused", () => {
  assert.throws(() => classifyWhiteout(["a", ".wh.."]), UnsafeLayerPathError);
});

test("symlinks inside the layer are followed when resolving a parent", () => {
  const links = new Map([
    ["bin", "usr/bin"],
    ["usr/lib64", "lib"],
  ]);
  assert.deepEqual(
    resolveInRoot(["bin", "x"], (p) => links.get(p)),
    ["usr", "bin", "x"],
  );
  assert.deepEqual(
    resolveInRoot(["usr", "lib64", "y"], (p) => links.get(p)),
    ["usr", "lib", "y"],
  );
});

test("a parent through an absolute symlink is refused", () => {
  const links = new Map([["etc2", "/etc"]]);
  assert.throws(() => resolveInRoot(["etc2", "passwd"], (p) => links.get(p)), UnsafeLayerPathError);
});

test("a parent through a symlink climbing above the root is refused", () => {
  const links = new Map([["a/up", "../../.."]]);
  assert.throws(() => resolveInRoot(["a", "up", "x"], (p) => links.get(p)), UnsafeLayerPathError);
});

test("symlink loops stop with an error instead of spinning", () => {
  const links = new Map([
    ["a", "b"],
    ["b", "a"],
  ]);
  assert.throws(() => resolveInRoot(["a", "x"], (p) => links.get(p)), UnsafeLayerPathError);
});
