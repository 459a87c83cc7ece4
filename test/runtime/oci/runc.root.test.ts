// Root suite: a pod sandbox (catatonit pause) and a container joining its
// namespaces, both from the generated OCI specs, run by the real runc.
import assert from "node:assert/strict";
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { hostLimits, Runc, RuncError } from "../../../src/runtime/oci/index.js";
import { buildContainerSpec, buildSandboxSpec } from "../../../src/runtime/spec/index.js";
import { tempDir } from "../../support/tmp.js";

const BUSYBOX = "/bin/busybox";
const CATATONIT = "/usr/bin/catatonit";

/** A root filesystem holding only the static busybox and catatonit binaries. */
function staticRootfs(bundle: string): void {
  const rootfs = join(bundle, "rootfs");
  mkdirSync(join(rootfs, "bin"), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, "bin", "busybox"));
  copyFileSync(CATATONIT, join(rootfs, "catatonit"));
}

async function waitFor(runc: Runc, id: string, status: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await runc.state(id);
    if (state.status === status) return;
    if (Date.now() > deadline) throw new Error(`${id} is ${state.status}, wanted ${status}`);
    await sleep(20);
  }
}

describe("runc driver", () => {
  const dir = tempDir("runc");
  const runc = new Runc({ root: join(dir.path, "state") });
  const suffix = `${process.pid}-${Date.now()}`;
  const sandboxId = `k8ts-test-sandbox-${suffix}`;
  const containerId = `k8ts-test-container-${suffix}`;
  after(async () => {
    for (const id of [containerId, sandboxId]) {
      await runc.delete(id, { force: true }).catch(() => {});
    }
    dir.remove();
  });

  const podConfig: PodSandboxConfig = {
    metadata: { name: "pod-a", uid: "uid-a", namespace: "default" },
    hostname: "pod-a",
  };

  it("runs a sandbox whose namespaces a container joins: same net, ipc and uts, own pid", async () => {
    const sandboxBundle = join(dir.path, "sandbox");
    staticRootfs(sandboxBundle);
    writeFileSync(
      join(sandboxBundle, "config.json"),
      JSON.stringify(buildSandboxSpec({ id: sandboxId, config: podConfig, ...hostLimits() })),
    );
    const pausePid = await runc.create(sandboxId, sandboxBundle);
    assert.equal((await runc.state(sandboxId)).status, "created");
    await runc.start(sandboxId);
    assert.equal((await runc.state(sandboxId)).status, "running");
    assert.ok((await runc.list()).some((s) => s.id === sandboxId));

    const bundle = join(dir.path, "container");
    staticRootfs(bundle);
    const probe = "for ns in net ipc uts pid; do /bin/busybox readlink /proc/self/ns/$ns; done";
    const spec = buildContainerSpec({
      id: containerId,
      config: {
        metadata: { name: "app" },
        image: { image: "static" },
        // What the kubelet asks for without shareProcessNamespace (the CRI zero value is POD).
        linux: { securityContext: { namespaceOptions: { pid: "CONTAINER" } } },
        command: ["/bin/busybox", "sh", "-c", `/bin/busybox hostname; ${probe}`],
      },
      sandbox: { id: sandboxId, config: podConfig, pid: pausePid },
      ...hostLimits(),
    });
    writeFileSync(join(bundle, "config.json"), JSON.stringify(spec));
    const outPath = join(dir.path, "out");
    const out = openSync(outPath, "w");
    try {
      await runc.create(containerId, bundle, { stdio: ["ignore", out, out] });
    } finally {
      closeSync(out);
    }
    await runc.start(containerId);
    await waitFor(runc, containerId, "stopped");

    const lines = readFileSync(outPath, "utf8").trim().split("\n");
    assert.equal(lines[0], "pod-a", "the container sees the pod's hostname");
    const host = (ns: string) => readlinkSync(`/proc/${pausePid}/ns/${ns}`);
    assert.deepEqual(lines.slice(1, 4), [host("net"), host("ipc"), host("uts")]);
    assert.notEqual(
      lines[4],
      host("pid"),
      "without shareProcessNamespace the pid namespace is the container's own",
    );
    assert.notEqual(
      host("net"),
      readlinkSync("/proc/self/ns/net"),
      "the pod has its own network namespace",
    );

    await runc.delete(containerId);
    await assert.rejects(runc.state(containerId), RuncError);
    await runc.kill(sandboxId, "KILL");
    await waitFor(runc, sandboxId, "stopped");
    await runc.delete(sandboxId);
    assert.deepEqual(
      (await runc.list()).map((s) => s.id),
      [],
    );
  });

  it("reports runc's own error message", async () => {
    await assert.rejects(runc.start("k8ts-test-no-such-container"), (error: unknown) => {
      assert.ok(error instanceof RuncError);
      assert.match(error.message, /^runc: .*(not exist|not found)/);
      return true;
    });
  });
});
