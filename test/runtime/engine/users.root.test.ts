// Root suite: named users — the image's USER or the CRI's runAsUsername
// resolved against the image's own /etc/passwd and /etc/group.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContainerConfig } from "../../../src/runtime/cri.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { sandboxFixture } from "./sandbox-fixture.js";

const IMAGE = "k8ts.test/busybox-users:1";

describe("named users", () => {
  const t = sandboxFixture("engine-users", (images) =>
    storeBusyboxImage(images, IMAGE, ["/bin/sh"], {
      user: "app",
      files: {
        "etc/passwd":
          "root:x:0:0:root:/root:/bin/sh\napp:x:1234:1235:app:/home/app:/bin/sh\nweb:x:33:33::/var/www:/bin/sh\n",
        "etc/group": "root:x:0:\napp:x:1235:\nweb:x:33:\nextra:x:4000:app,web\n",
      },
    }),
  );

  /** `id` run as the container's main process, its output once it exited. */
  async function idOf(name: string, extra: Partial<ContainerConfig> = {}): Promise<string> {
    const id = await t.engine.createContainer(t.sandbox, {
      config: {
        metadata: { name },
        image: { image: IMAGE },
        command: [
          "/bin/sh",
          "-c",
          "echo $(id -u) $(id -g) $(id -G) > /dev/shm/id-$0; exec sleep 3600",
          name,
        ],
        ...extra,
      },
      sandboxConfig: t.pod,
    });
    await t.engine.startContainer(id);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const out = await t.engine.execSync({
        containerId: id,
        cmd: ["/bin/sh", "-c", `cat /dev/shm/id-${name}`],
      });
      if (out.exitCode === 0) return Buffer.from(out.stdout).toString().trim();
      assert.ok(Date.now() < deadline, "the container did not write its ids");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("runs as the uid, gid and groups the image's USER name has in its /etc/passwd and /etc/group", async () => {
    assert.equal(await idOf("image-user"), "1234 1235 1235 4000");
  });

  it("runs as runAsUsername, looked up in the image", async () => {
    const ids = await idOf("by-name", {
      linux: { securityContext: { runAsUsername: "web", supplementalGroups: [5000] } },
    });
    assert.equal(ids, "33 33 33 4000 5000");
  });

  it("runs a numeric runAsUser the image does not list as that uid with gid 0", async () => {
    assert.equal(
      await idOf("numeric", { linux: { securityContext: { runAsUser: { value: 4321 } } } }),
      "4321 0 0",
    );
  });

  it("fails CreateContainer for a user the image does not know, and leaves nothing behind", async () => {
    const before = (await t.engine.listContainers()).length;
    await assert.rejects(
      t.engine.createContainer(t.sandbox, {
        config: {
          metadata: { name: "ghost" },
          image: { image: IMAGE },
          linux: { securityContext: { runAsUsername: "ghost" } },
        },
        sandboxConfig: t.pod,
      }),
      /unable to find user ghost/,
    );
    assert.equal((await t.engine.listContainers()).length, before);
  });
});
