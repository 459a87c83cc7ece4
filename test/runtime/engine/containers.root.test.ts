// Root suite: containers from an image on overlayfs, in a sandbox, on runc under conmon.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ContainerConfig,
  CriNotFoundError,
  type PodSandboxConfig,
} from "../../../src/runtime/cri.js";
import { attachSession } from "../../../src/runtime/engine/attach-session.js";
import { Containers } from "../../../src/runtime/engine/containers.js";
import { Sandboxes } from "../../../src/runtime/engine/sandboxes.js";
import { ImageStore } from "../../../src/runtime/images/index.js";
import { parseLogLine } from "../../../src/runtime/logs/index.js";
import { hostLimits, Runc } from "../../../src/runtime/oci/index.js";
import { isMounted } from "../../../src/runtime/rootfs/index.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { tempDir } from "../../support/tmp.js";

const RUNC = "/usr/sbin/runc";
const IMAGE = "k8ts.test/busybox:1";

describe("containers", () => {
  const dir = tempDir("containers");
  const runc = new Runc({ root: join(dir.path, "runc"), binary: RUNC });
  const stateDir = join(dir.path, "state");
  const sandboxes = new Sandboxes({
    stateDir,
    runc,
    runcPath: RUNC,
    nodeIp: "192.0.2.1",
    limits: hostLimits(),
  });
  let containers: Containers;
  let sandboxId = "";
  const pod: PodSandboxConfig = {
    metadata: { name: "web-0", uid: "uid-1", namespace: "default" },
    hostname: "web-0",
    logDirectory: join(dir.path, "pods", "default_web-0_uid-1"),
    dnsConfig: {
      servers: ["10.43.0.10"],
      searches: ["default.svc.cluster.local"],
      options: ["ndots:5"],
    },
  };
  const container = (name: string, script: string, attempt = 0): ContainerConfig => ({
    metadata: { name, attempt },
    image: { image: IMAGE },
    command: ["/bin/sh", "-c", script],
    logPath: `${name}/${attempt}.log`,
    linux: { securityContext: { namespaceOptions: { pid: "CONTAINER" } } },
  });

  before(async () => {
    const images = await ImageStore.open(join(dir.path, "images"));
    await storeBusyboxImage(images, IMAGE);
    containers = new Containers({
      stateDir,
      runc,
      runcPath: RUNC,
      images,
      sandboxes,
      limits: hostLimits(),
    });
    sandboxId = await sandboxes.run(pod);
  });
  after(async () => {
    for (const r of (await containers?.records.list())?.records ?? [])
      await containers.remove(r.id).catch(() => {});
    for (const r of (await sandboxes.records.list()).records)
      await sandboxes.remove(r.id).catch(() => {});
    dir.remove();
  });

  async function exited(id: string) {
    for (let i = 0; i < 500; i++) {
      const s = await containers.status(id);
      if (s.state === "CONTAINER_EXITED") return s;
      await sleep(20);
    }
    throw new Error(`${id} did not exit`);
  }

  it("runs the image on overlay with the init layer's files, in the pod's namespaces, logging in the CRI format", async () => {
    const id = await containers.create(sandboxId, {
      config: container(
        "app",
        "cat /etc/hostname /etc/resolv.conf; grep 127.0.0.1 /etc/hosts; readlink /proc/self/ns/net; echo oops >&2; exit 3",
      ),
      sandboxConfig: pod,
    });
    let status = await containers.status(id);
    assert.equal(status.state, "CONTAINER_CREATED");
    assert.match(status.image.image, /^sha256:[0-9a-f]{64}$/);
    assert.match(status.imageRef, /^k8ts\.test\/busybox@sha256:[0-9a-f]{64}$/);
    assert.ok(isMounted(join(containers.dirOf(id), "rootfs")));
    await containers.start(id);
    status = await exited(id);
    assert.deepEqual([status.exitCode, status.reason], [3, "Error"]);
    assert.ok(status.finishedAt >= status.startedAt && status.startedAt > 0n);

    assert.equal(status.logPath, join(pod.logDirectory ?? "", "app", "0.log"));
    const lines = readFileSync(status.logPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => parseLogLine(Buffer.from(`${l}\n`)));
    const out = lines
      .filter((l) => l.stream === "stdout")
      .map((l) => l.log.toString())
      .join("");
    const pausePid = await sandboxes.pausePid(sandboxId);
    assert.ok(
      out.startsWith(
        "web-0\nnameserver 10.43.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n127.0.0.1\tlocalhost\n",
      ),
      out,
    );
    assert.ok(
      out.includes(readlinkSync(`/proc/${pausePid}/ns/net`)),
      "the container is in the pod's netns",
    );
    assert.deepEqual(
      lines.filter((l) => l.stream === "stderr").map((l) => l.log.toString()),
      ["oops\n"],
    );

    await containers.remove(id);
    assert.ok(!existsSync(containers.dirOf(id)), "rootfs unmounted and removed");
    await assert.rejects(containers.status(id), CriNotFoundError);
  });

  it("stops a running container with SIGTERM and reports a clean exit as Completed", async () => {
    const id = await containers.create(sandboxId, {
      config: container(
        "graceful",
        "trap 'exit 0' TERM; echo armed; while true; do sleep 0.1; done",
      ),
      sandboxConfig: pod,
    });
    await containers.start(id);
    // PID 1 ignores a signal it has no handler for: stop only once the trap is set.
    const log = join(pod.logDirectory ?? "", "graceful", "0.log");
    for (
      let i = 0;
      i < 100 && !(existsSync(log) && readFileSync(log, "utf8").includes("armed"));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await containers.status(id)).state, "CONTAINER_RUNNING");
    assert.deepEqual(
      (await containers.list({ podSandboxId: sandboxId, state: "CONTAINER_RUNNING" })).map(
        (c) => c.id,
      ),
      [id],
    );
    await containers.stop(id, 10);
    const status = await containers.status(id);
    assert.deepEqual(
      [status.state, status.exitCode, status.reason],
      ["CONTAINER_EXITED", 0, "Completed"],
    );
    await containers.remove(id);
  });

  it("kills a container that ignores SIGTERM once the timeout passes", async () => {
    const id = await containers.create(sandboxId, {
      config: container("stubborn", "trap '' TERM; while true; do sleep 0.1; done"),
      sandboxConfig: pod,
    });
    await containers.start(id);
    const t0 = Date.now();
    await containers.stop(id, 1);
    const waited = Date.now() - t0;
    const status = await containers.status(id);
    assert.equal(status.exitCode, 137);
    assert.equal(status.reason, "Error", "a SIGKILL from stop is no OOM kill");
    assert.ok(waited >= 900, `waited ${waited} ms for the grace period`);
    await containers.remove(id);
  });

  it("reports a container the OOM killer ended as OOMKilled with exit code 137", async () => {
    const config = container("hog", "exec tail /dev/zero");
    config.linux = { ...config.linux, resources: { memoryLimitInBytes: 20 * 1024 * 1024 } };
    const id = await containers.create(sandboxId, { config, sandboxConfig: pod });
    await containers.start(id);
    const status = await exited(id);
    assert.deepEqual([status.exitCode, status.reason], [137, "OOMKilled"]);
    assert.equal((await containers.status(id)).reason, "OOMKilled", "the same on every read");
    await containers.remove(id);
  });

  it("attach: output split by stream, stdin relayed and closed with stdinOnce, the session ends with the container", async () => {
    const config = {
      ...container("echoer", "while read l; do echo out-$l; echo err-$l >&2; done; echo bye"),
      stdin: true,
      stdinOnce: true,
    };
    const id = await containers.create(sandboxId, { config, sandboxConfig: pod });
    await containers.start(id);
    const session = await attachSession(
      { id, bundle: containers.dirOf(id), exitDir: containers.exitDir },
      { stdin: true, stdout: true, stderr: true, tty: false },
    );
    const [out, err] = [collect(session.stdout), collect(session.stderr)];
    session.stdin?.write("a\n");
    session.stdin?.end("b\n");
    assert.deepEqual(await session.exited, { exitCode: 0 });
    assert.equal(await out, "out-a\nout-b\nbye\n");
    assert.equal(await err, "err-a\nerr-b\n");
    await containers.remove(id);
  });

  it("attach on a terminal: one output stream, resizes reach the container's terminal", async () => {
    const config = { ...container("term", "exec sh"), stdin: true, tty: true };
    const id = await containers.create(sandboxId, { config, sandboxConfig: pod });
    await containers.start(id);
    const session = await attachSession(
      { id, bundle: containers.dirOf(id), exitDir: containers.exitDir },
      { stdin: true, stdout: true, stderr: true, tty: true },
    );
    assert.equal(session.stderr, undefined);
    const out = collect(session.stdout);
    // As kubectl does: one larger first, to force a redraw; the last one wins.
    session.resize({ width: 101, height: 31 });
    session.resize({ width: 100, height: 30 });
    await sleep(600); // resizes reach conmon spaced apart (resize-queue.ts)
    session.stdin?.write("stty size; echo $((6*7)) >&2; exit 3\n");
    await session.exited;
    assert.match(await out, /30 100\r\n42\r\n/);
    assert.equal((await exited(id)).exitCode, 3);
    await containers.remove(id);
  });

  it("refuses an image that is not in the store", async () => {
    await assert.rejects(
      containers.create(sandboxId, {
        config: { ...container("x", "true"), image: { image: "k8ts.test/absent:1" } },
        sandboxConfig: pod,
      }),
      CriNotFoundError,
    );
    assert.deepEqual((await containers.records.list()).records, []);
  });
});

/** Everything a stream delivers, as text. */
function collect(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  let text = "";
  stream?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  return new Promise((resolve) => {
    if (!stream) resolve("");
    else stream.on("end", () => resolve(text));
  });
}
