// Root suite: UpdateContainerResources on runc — new limits reach the
// container's cgroup files, its spec and its status; the kernel's refusals
// come back as errors carrying runc's reason.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ResourceUpdateError } from "../../../src/runtime/engine/index.js";
import type { Spec } from "../../../src/runtime/spec/index.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { readCgroupFile, unifiedCgroups } from "../cgroup-files.js";
import { sandboxFixture } from "./sandbox-fixture.js";

const MiB = 1024 * 1024;

describe("updating a container's resources", () => {
  const t = sandboxFixture("engine-update", (images) =>
    storeBusyboxImage(images, "k8ts.test/busybox:1"),
  );
  const unified = unifiedCgroups();

  /** One of the container's cgroup files: v1 `controller/file`, or the v2 file. */
  async function cgroupFile(id: string, v1: string, v2: string): Promise<string> {
    return readCgroupFile(await t.engine.containers.cgroupPaths(id), { v1, v2 });
  }

  async function runContainer(name: string, script: string): Promise<string> {
    const id = await t.engine.createContainer(t.sandbox, {
      config: {
        metadata: { name },
        image: { image: "k8ts.test/busybox:1" },
        command: ["/bin/sh", "-c", script],
        linux: {
          resources: {
            memoryLimitInBytes: 64 * MiB,
            cpuShares: 512,
            cpuQuota: 50_000,
            cpuPeriod: 100_000,
          },
        },
      },
      sandboxConfig: t.pod,
    });
    await t.engine.startContainer(id);
    return id;
  }

  it("writes a new memory limit, CPU quota and pids limit to the running container's cgroups", async () => {
    const id = await runContainer("grow", "exec sleep 3600");
    assert.equal(await cgroupFile(id, "memory/memory.limit_in_bytes", "memory.max"), `${64 * MiB}`);

    await t.engine.updateContainerResources(
      id,
      { memoryLimitInBytes: 128 * MiB, cpuQuota: 20_000, cpuPeriod: 100_000 },
      { pidsLimit: 50 },
    );

    assert.equal(
      await cgroupFile(id, "memory/memory.limit_in_bytes", "memory.max"),
      `${128 * MiB}`,
    );
    if (unified) {
      assert.equal(await cgroupFile(id, "", "cpu.max"), "20000 100000");
    } else {
      assert.equal(await cgroupFile(id, "cpu/cpu.cfs_quota_us", ""), "20000");
      assert.equal(await cgroupFile(id, "cpu/cpu.shares", ""), "512", "shares not given stay");
    }
    assert.equal(await cgroupFile(id, "pids/pids.max", "pids.max"), "50");

    const status = await t.engine.containerStatus(id);
    assert.equal(status.state, "CONTAINER_RUNNING");
    assert.deepEqual(status.resources?.linux, {
      memoryLimitInBytes: 128 * MiB,
      cpuShares: 512,
      cpuQuota: 20_000,
      cpuPeriod: 100_000,
    });
    const spec = JSON.parse(
      readFileSync(join(t.engine.containers.dirOf(id), "config.json"), "utf8"),
    ) as Spec;
    assert.equal(spec.linux?.resources.memory?.limit, 128 * MiB);
    assert.equal(spec.linux?.resources.cpu?.quota, 20_000);
    assert.equal(spec.linux?.resources.pids?.limit, 50);
    assert.ok(spec.linux?.resources.devices?.length, "the device rules are kept");
  });

  it("refuses a memory limit below what the container uses, with runc's reason, and keeps the old one", {
    skip: unified && "cgroup v2 reclaims or OOM-kills instead of refusing",
  }, async () => {
    // tmpfs pages are charged to the container and cannot be reclaimed without swap.
    const id = await runContainer(
      "hungry",
      "dd if=/dev/zero of=/dev/shm/fill bs=1M count=24 2>/dev/null; touch /dev/shm/full; exec sleep 3600",
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const probe = await t.engine.execSync({
        containerId: id,
        cmd: ["/bin/sh", "-c", "test -e /dev/shm/full"],
      });
      if (probe.exitCode === 0) break;
      assert.ok(Date.now() < deadline, "the container did not fill its tmpfs in time");
      await new Promise((r) => setTimeout(r, 50));
    }
    const refused = await t.engine
      .updateContainerResources(id, { memoryLimitInBytes: 8 * MiB })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.ok(refused instanceof ResourceUpdateError, String(refused));
    assert.match(refused.message, /runc: .*memory/i);
    assert.match(refused.message, /usage/);
    assert.equal(await cgroupFile(id, "memory/memory.limit_in_bytes", "memory.max"), `${64 * MiB}`);
    const status = await t.engine.containerStatus(id);
    assert.equal(status.state, "CONTAINER_RUNNING");
    assert.equal(status.resources?.linux?.memoryLimitInBytes, 64 * MiB);
  });

  it("keeps an exited container's new limits in its status without touching runc", async () => {
    const id = await runContainer("done", "exit 0");
    const deadline = Date.now() + 20_000;
    while ((await t.engine.containerStatus(id)).state !== "CONTAINER_EXITED") {
      assert.ok(Date.now() < deadline, "the container did not exit");
      await new Promise((r) => setTimeout(r, 50));
    }
    await t.engine.updateContainerResources(id, { memoryLimitInBytes: 32 * MiB });
    assert.equal(
      (await t.engine.containerStatus(id)).resources?.linux?.memoryLimitInBytes,
      32 * MiB,
    );
  });

  it("rejects an unknown container and a zero pids limit", async () => {
    await assert.rejects(t.engine.updateContainerResources("nope", {}), /not found/);
    const [first] = await t.engine.listContainers({ podSandboxId: t.sandbox });
    await assert.rejects(
      t.engine.updateContainerResources(first?.id ?? "", {}, { pidsLimit: 0 }),
      /invalid pids limit 0/,
    );
  });
});
