// System suite: `k8ts image` against Debian's docker-registry, with the test
// busybox image built from Debian packages.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildIntoLayout, busybox, pushFromLayout } from "../../scripts/test-images.js";
import { k8ts } from "../support/cli.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";
import { tempDir } from "../support/tmp.js";

describe("k8ts image", () => {
  let registry: TestRegistry;
  const dir = tempDir("cli-image");
  const image = (...args: string[]) =>
    k8ts(
      "image",
      "--data-dir",
      dir.path,
      "--registries",
      join(dir.path, "registries.yaml"),
      ...args,
    );
  before(async () => {
    registry = await startRegistry();
    const layout = join(dir.path, "layout");
    buildIntoLayout(busybox, layout);
    pushFromLayout(busybox, { layout, registry: registry.address });
    writeFileSync(
      join(dir.path, "registries.yaml"),
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${registry.address}"\n`,
    );
  });
  after(async () => {
    await registry?.stop();
    dir.remove();
  });

  it("pulls docker.io/library/busybox through the mirror and lists it", () => {
    const pull = image("pull", "busybox:1.36");
    assert.equal(pull.status, 0, pull.stderr);
    assert.match(pull.stdout, /^busybox:1\.36 sha256:[0-9a-f]{64}$/m);
    const ls = image("ls");
    assert.match(ls.stdout, /^busybox:1\.36\s+[0-9a-f]{12}$/m);
  });

  it("round-trips an image through an archive and a push", () => {
    const archive = join(dir.path, "busybox.tar");
    const exported = image("export", archive, "busybox:1.36");
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(image("rm", "busybox:1.36").status, 0);
    assert.doesNotMatch(image("ls").stdout, /busybox:1\.36/);
    const imported = image("import", archive);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(image("ls").stdout, /busybox:1\.36/);
    const pushed = image("push", "busybox:1.36", `${registry.address}/k8ts/copied:v1`);
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.match(pushed.stdout, /k8ts\/copied:v1 sha256:/);
  });
});
