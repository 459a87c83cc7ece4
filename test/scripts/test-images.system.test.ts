// System suite: builds the test images from Debian packages (busybox-static,
// nginx-light) and pushes them to Debian's docker-registry with skopeo.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildIntoLayout, pushFromLayout, TEST_IMAGES } from "../../scripts/test-images.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";
import { tempDir } from "../support/tmp.js";

const run = promisify(execFile);

describe("test images", () => {
  let registry: TestRegistry;
  const layout = tempDir("test-images");
  before(async () => {
    registry = await startRegistry();
  });
  after(async () => {
    await registry?.stop();
    layout.remove();
  });

  it("builds busybox and nginx from Debian packages and pushes every tag", async () => {
    const digests = new Map<string, string>();
    for (const image of TEST_IMAGES) {
      digests.set(image.name, buildIntoLayout(image, layout.path).digest);
      pushFromLayout(image, { layout: layout.path, registry: registry.address });
    }
    for (const [name, tag] of [
      ["busybox", "1.36"],
      ["nginx", "1.7.9"],
      ["nginx", "1.8"],
    ] as const) {
      const { stdout } = await run("skopeo", [
        "inspect",
        "--tls-verify=false",
        `docker://${registry.address}/library/${name}:${tag}`,
      ]);
      const info = JSON.parse(stdout) as { Digest: string; Architecture: string; Os: string };
      assert.equal(info.Os, "linux");
      assert.equal(info.Architecture, "amd64");
      assert.equal(info.Digest, digests.get(name), `${name}:${tag} is the image built`);
    }
  });

  it("builds the same image twice to the same digest", () => {
    const again = tempDir("test-images-again");
    try {
      const busybox = TEST_IMAGES.find((i) => i.name === "busybox");
      assert.ok(busybox);
      assert.equal(
        buildIntoLayout(busybox, again.path).digest,
        buildIntoLayout(busybox, layout.path).digest,
      );
    } finally {
      again.remove();
    }
  });
});
