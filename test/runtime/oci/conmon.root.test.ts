// Root suite: containers under conmon, the monitor that outlives the engine,
// logs in the CRI format and records exit codes.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { parseLogLine } from "../../../src/runtime/logs/index.js";
import {
  hostLimits,
  MonitorError,
  Runc,
  readExitCode,
  startMonitor,
  waitForExit,
} from "../../../src/runtime/oci/index.js";
import { buildSandboxSpec } from "../../../src/runtime/spec/index.js";
import { tempDir } from "../../support/tmp.js";

const RUNC = "/usr/sbin/runc";

describe("conmon monitor", () => {
  const dir = tempDir("conmon");
  const root = join(dir.path, "state");
  const runc = new Runc({ root, binary: RUNC });
  const exitDir = join(dir.path, "exits");
  mkdirSync(exitDir);
  const suffix = `${process.pid}-${Date.now()}`;
  const ids: string[] = [];
  after(async () => {
    for (const id of ids) await runc.delete(id, { force: true }).catch(() => {});
    dir.remove();
  });

  const pod: PodSandboxConfig = { metadata: { name: "p", uid: "u", namespace: "default" } };

  /** A bundle running `script` in busybox sh, as a standalone container (own namespaces). */
  function bundle(name: string, script: string): { id: string; path: string } {
    const id = `k8ts-test-${name}-${suffix}`;
    ids.push(id);
    const path = join(dir.path, name);
    mkdirSync(join(path, "rootfs", "bin"), { recursive: true });
    copyFileSync("/bin/busybox", join(path, "rootfs", "bin", "busybox"));
    const spec = buildSandboxSpec({
      id,
      config: pod,
      args: ["/bin/busybox", "sh", "-c", script],
      ...hostLimits(),
    });
    writeFileSync(join(path, "config.json"), JSON.stringify(spec));
    return { id, path };
  }

  it("logs stdout and stderr in the CRI format and records the exit code", async () => {
    const { id, path } = bundle("logs", "echo out; echo err >&2; printf partial; exit 3");
    const logPath = join(dir.path, "logs.log");
    const { pid, conmonPid } = await startMonitor({
      id,
      bundle: path,
      runtime: RUNC,
      runtimeRoot: root,
      logPath,
      exitDir,
    });
    assert.ok(pid > 0 && conmonPid > 0 && pid !== conmonPid);
    assert.equal((await runc.state(id)).status, "created");
    assert.equal(await readExitCode(exitDir, id), undefined, "no exit before it ran");
    await runc.start(id);
    assert.equal(await waitForExit(exitDir, id, 10_000), 3);

    const lines = readFileSync(logPath)
      .toString()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => parseLogLine(Buffer.from(`${l}\n`)));
    // stdout and stderr are separate pipes: order within a stream is kept, not across them.
    const of = (stream: string) =>
      lines.filter((l) => l.stream === stream).map((l) => [l.partial, l.log.toString()]);
    assert.deepEqual(of("stdout"), [
      [false, "out\n"],
      [true, "partial"],
    ]);
    assert.deepEqual(of("stderr"), [[false, "err\n"]]);
    assert.ok(lines.every((l) => l.timestamp > 0n));
  });

  it("keeps a container running after the engine lets go, and records a kill as 137", async () => {
    const { id, path } = bundle("long", "exec /bin/busybox sleep 600");
    await startMonitor({
      id,
      bundle: path,
      runtime: RUNC,
      runtimeRoot: root,
      logPath: join(dir.path, "long.log"),
      exitDir,
    });
    await runc.start(id);
    assert.equal((await runc.state(id)).status, "running");
    assert.equal(await waitForExit(exitDir, id, 200), undefined, "still running");
    await runc.kill(id, "KILL");
    assert.equal(await waitForExit(exitDir, id, 10_000), 137);
  });

  it("reports runc's failure to create through the sync pipe", async () => {
    const id = `k8ts-test-broken-${suffix}`;
    const path = join(dir.path, "broken");
    mkdirSync(path);
    writeFileSync(join(path, "config.json"), "{}");
    await assert.rejects(
      startMonitor({
        id,
        bundle: path,
        runtime: RUNC,
        runtimeRoot: root,
        logPath: join(dir.path, "broken.log"),
        exitDir,
      }),
      (error: unknown) => {
        assert.ok(error instanceof MonitorError, String(error));
        assert.match(error.message, new RegExp(`creating ${id} failed: .+`));
        return true;
      },
    );
  });
});
