// Root suite: what the engine does beyond the shared CRI contract.
import assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { Engine } from "../../../src/runtime/engine/index.js";
import { ImageStore } from "../../../src/runtime/images/index.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { tempDir } from "../../support/tmp.js";

describe("runc engine", () => {
  const dir = tempDir("engine");
  let engine: Engine;
  let containerId = "";
  const pod: PodSandboxConfig = {
    metadata: { name: "ticker", uid: "uid-t", namespace: "default" },
    hostname: "ticker",
    logDirectory: join(dir.path, "pods", "default_ticker_uid-t"),
  };

  before(async () => {
    const images = await ImageStore.open(join(dir.path, "images"));
    await storeBusyboxImage(images, "k8ts.test/busybox:1");
    engine = new Engine({ stateDir: join(dir.path, "state"), images, nodeIp: "192.0.2.1" });
    const sandbox = await engine.runPodSandbox(pod);
    containerId = await engine.createContainer(sandbox, {
      config: {
        metadata: { name: "tick" },
        image: { image: "k8ts.test/busybox:1" },
        command: ["/bin/sh", "-c", "while true; do echo tick; sleep 0.1; done"],
        logPath: "tick/0.log",
        linux: { securityContext: { namespaceOptions: { pid: "CONTAINER" } } },
      },
      sandboxConfig: pod,
    });
    await engine.startContainer(containerId);
  });
  after(async () => {
    for (const s of (await engine?.listPodSandbox()) ?? []) {
      await engine.removePodSandbox(s.id).catch(() => {});
    }
    dir.remove();
  });

  it("runs a command in the container and returns its output and exit code", async () => {
    const ok = await engine.execSync({
      containerId,
      cmd: ["/bin/sh", "-c", "hostname; echo e >&2"],
    });
    assert.equal(Buffer.from(ok.stdout).toString(), "ticker\n");
    assert.equal(Buffer.from(ok.stderr).toString(), "e\n");
    assert.equal(ok.exitCode, 0);
    const failed = await engine.execSync({ containerId, cmd: ["/bin/sh", "-c", "exit 4"] });
    assert.equal(failed.exitCode, 4);
    await assert.rejects(
      engine.execSync({ containerId, cmd: ["/bin/sh", "-c", "sleep 5"], timeout: 1 }),
      /timed out/,
    );
  });

  it("reports CPU and memory from the container's cgroups", async () => {
    const stats = await engine.containerStats(containerId);
    assert.ok((stats.cpu?.usageCoreNanoSeconds?.value ?? 0n) > 0n, "the loop used CPU");
    assert.ok((stats.memory?.usageBytes?.value ?? 0n) > 0n, "and memory");
  });

  it("has conmon reopen the log after the kubelet rotates it", async () => {
    const log = join(pod.logDirectory ?? "", "tick", "0.log");
    renameSync(log, `${log}.rotated`);
    await engine.reopenContainerLog(containerId);
    for (let i = 0; i < 50 && !existsSync(log); i++) await sleep(50);
    await sleep(300);
    assert.match(readFileSync(log, "utf8"), / stdout F tick\n/);
    assert.match(readFileSync(`${log}.rotated`, "utf8"), / stdout F tick\n/);
  });

  it("streams an exec: stdin in, stdout and stderr out, the exit code at the end", async () => {
    const session = await engine.exec({
      containerId,
      cmd: ["/bin/sh", "-c", "read line; echo got-$line; echo err >&2; exit 7"],
      stdin: true,
      stdout: true,
      stderr: true,
    });
    let out = "";
    let err = "";
    session.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    session.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    session.stdin?.end("hello\n");
    assert.deepEqual(await session.exited, { exitCode: 7 });
    await sleep(50);
    assert.equal(out, "got-hello\n");
    assert.equal(err, "err\n");
  });

  it("gives an exec a terminal that follows resizes", async () => {
    const session = await engine.exec({
      containerId,
      // Each stty waits for a line of input. runc copies the size onto the container's
      // own pty just after it starts the process, so under load the first reads can
      // come before that (stty fails): the first stty retries for up to 3 s.
      cmd: [
        "/bin/sh",
        "-c",
        // The resize reaches the container's pty through runc's SIGWINCH relay: give it
        // up to 2 s before printing the size.
        'read a; for i in 1 2 3 4 5 6 7 8 9 10; do s=$(/bin/busybox stty size 2>/dev/null) && [ -n "$s" ] && break; sleep 0.3; done; echo "$s"; read b; for i in 1 2 3 4 5 6 7 8 9 10; do s=$(/bin/busybox stty size); [ "$s" = "40 120" ] && break; sleep 0.2; done; echo "$s"',
      ],
      tty: true,
      stdin: true,
      stdout: true,
    });
    let out = "";
    session.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    session.stdin?.write("go\r");
    for (let i = 0; i < 250 && !out.includes("24 80"); i++) await sleep(20);
    session.resize({ width: 120, height: 40 });
    await sleep(100);
    session.stdin?.write("go\r");
    assert.deepEqual(await session.exited, { exitCode: 0 });
    assert.match(out, /24 80\r\n[\s\S]*40 120\r\n/);
  });

  it("forwards a port on the pod's loopback", async () => {
    const listener = await engine.exec({
      containerId,
      cmd: ["/bin/busybox", "nc", "-l", "-p", "9000", "-e", "/bin/busybox", "echo", "pong"],
      stdout: true,
    });
    const sandboxId = (await engine.listPodSandbox())[0]?.id ?? "";
    let reply = "";
    for (let attempt = 0; attempt < 50 && !reply; attempt++) {
      const stream = await engine.portForward({ podSandboxId: sandboxId, port: 9000 });
      reply = await new Promise<string>((resolve) => {
        let text = "";
        stream.on("data", (d: Buffer) => {
          text += d.toString();
        });
        stream.on("end", () => resolve(text));
        stream.on("error", () => resolve(text));
        stream.end();
      });
      if (!reply) await sleep(50);
    }
    assert.equal(reply, "pong\n");
    await listener.close();
  });

  it("attaches to the ticking container's output and detaches leaving it running", async () => {
    const session = await engine.attach({ containerId, stdout: true, stderr: true });
    assert.equal(session.stdin, undefined, "stdin was not asked for");
    let out = "";
    session.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    for (let i = 0; i < 100 && !out.includes("tick\ntick\n"); i++) await sleep(20);
    assert.match(out, /tick\ntick\n/);
    await session.close();
    assert.equal((await engine.containerStatus(containerId)).state, "CONTAINER_RUNNING");
  });
});
