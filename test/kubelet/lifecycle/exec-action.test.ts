import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runExecAction } from "../../../src/kubelet/lifecycle/index.js";
import type {
  ExecSyncRequest,
  ExecSyncResponse,
  PodSandboxConfig,
} from "../../../src/runtime/cri.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";

const enc = new TextEncoder();
const sandbox: PodSandboxConfig = { metadata: { name: "p", uid: "u", namespace: "default" } };

/** A fake runtime whose exec takes `delayMs` before answering. */
class SlowRuntime extends FakeRuntimeService {
  readonly requests: ExecSyncRequest[] = [];
  constructor(readonly delayMs: number) {
    super({ images: new FakeImageService({ preloaded: ["busybox"] }) });
  }
  override async execSync(request: ExecSyncRequest): Promise<ExecSyncResponse> {
    this.requests.push(request);
    // Unref'd: a test that stops waiting for the exec need not wait for this timer either.
    await new Promise((resolve) => setTimeout(resolve, this.delayMs).unref());
    return super.execSync(request);
  }
}

async function running(runtime: FakeRuntimeService): Promise<string> {
  const sb = await runtime.runPodSandbox(sandbox);
  const id = await runtime.createContainer(sb, {
    config: { metadata: { name: "c" }, image: { image: "busybox" } },
    sandboxConfig: sandbox,
  });
  await runtime.startContainer(id);
  return id;
}

function answer(stdout: string, stderr: string, exitCode: number): ExecSyncResponse {
  return { stdout: enc.encode(stdout), stderr: enc.encode(stderr), exitCode };
}

describe("runExecAction", () => {
  it("succeeds on exit 0 with the command's output", async () => {
    const runtime = new SlowRuntime(0);
    const id = await running(runtime);
    runtime.execHandler = (_id, cmd) => answer(`ran ${cmd.join(" ")}\n`, "", 0);
    assert.deepEqual(await runExecAction(runtime, id, ["cat", "/tmp/healthy"], 1), {
      ok: true,
      output: "ran cat /tmp/healthy\n",
    });
    assert.deepEqual(runtime.requests[0], {
      containerId: id,
      cmd: ["cat", "/tmp/healthy"],
      timeout: 1,
    });
  });

  it("fails on a non-zero exit with stdout then stderr as output", async () => {
    const runtime = new SlowRuntime(0);
    const id = await running(runtime);
    runtime.execHandler = () =>
      answer("out\n", "cat: can't open '/tmp/healthy': No such file or directory\n", 1);
    assert.deepEqual(await runExecAction(runtime, id, ["cat", "/tmp/healthy"], 1), {
      ok: false,
      output: "out\ncat: can't open '/tmp/healthy': No such file or directory\n",
    });
  });

  it("keeps at most 10 KiB of output", async () => {
    const runtime = new SlowRuntime(0);
    const id = await running(runtime);
    runtime.execHandler = () => answer("a".repeat(8000), "b".repeat(8000), 0);
    const result = await runExecAction(runtime, id, ["x"], 1);
    assert.equal(result.output.length, 10 * 1024);
    assert.equal(result.output, "a".repeat(8000) + "b".repeat(10 * 1024 - 8000));
  });

  it("reports a timeout as a failure, as upstream's ExecProbeTimeout", async () => {
    const runtime = new SlowRuntime(10_000);
    const id = await running(runtime);
    const started = Date.now();
    const result = await runExecAction(runtime, id, ["sleep", "10"], 0.05);
    assert.ok(Date.now() - started < 3_000, "the action returned at its deadline");
    assert.deepEqual(result, {
      ok: false,
      output: 'command "sleep 10" timed out',
      timedOut: true,
    });
    // The CRI carries whole seconds: the runtime is told 1 s.
    assert.equal(runtime.requests[0]?.timeout, 1);
  });

  it("maps a runtime's own timeout error to the same failure", async () => {
    const runtime = new SlowRuntime(0);
    runtime.execSync = async () => {
      throw new Error("exec in abc timed out after 1000 ms");
    };
    assert.deepEqual(await runExecAction(runtime, "abc", ["sh"], 1), {
      ok: false,
      output: 'command "sh" timed out',
      timedOut: true,
    });
  });

  it("reports runtime errors as an errored action", async () => {
    const runtime = new SlowRuntime(0);
    const result = await runExecAction(runtime, "no-such-container", ["true"], 1);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error !== undefined && result.error.length > 0);
    const empty = await runExecAction(runtime, "x", [], 1);
    assert.deepEqual(empty, { ok: false, output: "", error: "exec action has no command" });
  });

  it("stops waiting when its signal aborts", async () => {
    const runtime = new SlowRuntime(10_000);
    const id = await running(runtime);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const result = await runExecAction(runtime, id, ["sleep", "1"], 0, {
      signal: controller.signal,
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error === "exec action cancelled");
  });
});
