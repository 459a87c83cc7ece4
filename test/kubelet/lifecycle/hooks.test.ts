import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Container, LifecycleHandler, Pod } from "kubernetes-types/core/v1.js";
import { createHookRunner, type HookEvent } from "../../../src/kubelet/lifecycle/index.js";
import type {
  ExecSyncRequest,
  ExecSyncResponse,
  PodSandboxConfig,
} from "../../../src/runtime/cri.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";
import { closedPort, httpServer, type TestServer } from "./servers.js";

const enc = new TextEncoder();
const sandbox: PodSandboxConfig = { metadata: { name: "web", uid: "uid-1", namespace: "default" } };
const pod: Pod = { metadata: { name: "web", namespace: "default", uid: "uid-1" } };

class Runtime extends FakeRuntimeService {
  delayMs = 0;
  readonly requests: ExecSyncRequest[] = [];
  constructor() {
    super({ images: new FakeImageService({ preloaded: ["busybox"] }) });
  }
  override async execSync(request: ExecSyncRequest): Promise<ExecSyncResponse> {
    this.requests.push(request);
    // Unref'd: a test that stops waiting for the exec need not wait for this timer either.
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs).unref());
    return super.execSync(request);
  }
  async running(): Promise<string> {
    const sb = await this.runPodSandbox(sandbox);
    const id = await this.createContainer(sb, {
      config: { metadata: { name: "app" }, image: { image: "busybox" } },
      sandboxConfig: sandbox,
    });
    await this.startContainer(id);
    return id;
  }
}

function withHooks(hooks: { postStart?: LifecycleHandler; preStop?: LifecycleHandler }): Container {
  return { name: "app", lifecycle: hooks, ports: [{ name: "web", containerPort: 1 }] };
}

describe("hook runner", () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.writeHead(req.url === "/fail" ? 500 : 200).end("hooked");
    });
  });
  after(() => server.close());

  it("succeeds at once when the container has no hook", async () => {
    const runner = createHookRunner(new Runtime());
    assert.deepEqual(await runner.postStart(pod, { name: "app" }, "id", "127.0.0.1"), {
      ok: true,
      output: "",
    });
    assert.deepEqual(await runner.preStop(pod, { name: "app" }, "id", "127.0.0.1", 0), {
      ok: true,
      output: "",
    });
  });

  it("runs an exec postStart without a timeout, and reports a failure as upstream", async () => {
    const runtime = new Runtime();
    const id = await runtime.running();
    const runner = createHookRunner(runtime);
    const container = withHooks({ postStart: { exec: { command: ["sh", "-c", "exit 3"] } } });
    runtime.execHandler = () => ({
      stdout: enc.encode("partial\n"),
      stderr: enc.encode("boom\n"),
      exitCode: 3,
    });
    const result = await runner.postStart(pod, container, id, "127.0.0.1");
    assert.deepEqual(result, {
      ok: false,
      output: "partial\nboom\n",
      error:
        'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_default(uid-1)" failed' +
        ` - error: command 'sh -c exit 3' exited with 3: boom\n, message: "partial\\nboom\\n"`,
    });
    assert.equal(runtime.requests[0]?.timeout, undefined);
    runtime.execHandler = () => ({
      stdout: enc.encode("ok"),
      stderr: new Uint8Array(),
      exitCode: 0,
    });
    assert.deepEqual(await runner.postStart(pod, container, id, "127.0.0.1"), {
      ok: true,
      output: "ok",
    });
  });

  it("runs an httpGet hook to the pod IP and a named port; any HTTP answer is success", async () => {
    const runner = createHookRunner(new Runtime());
    const container: Container = {
      name: "app",
      ports: [{ name: "web", containerPort: server.port }],
      lifecycle: {
        postStart: {
          httpGet: { path: "/fail", port: "web", httpHeaders: [{ name: "X-Hook", value: "1" }] },
        },
      },
    };
    // Upstream only fails an HTTP hook whose request fails, whatever the status code.
    assert.deepEqual(await runner.postStart(pod, container, "id", "127.0.0.1"), {
      ok: true,
      output: "",
    });
    const req = server.requests.at(-1);
    assert.equal(req?.url, "/fail");
    assert.equal(req?.headers["x-hook"], "1");
    assert.equal(req?.headers["user-agent"], "kube-lifecycle/1.32");
  });

  it("fails an httpGet hook whose request fails, with upstream's message", async () => {
    const runner = createHookRunner(new Runtime());
    const port = await closedPort();
    const container = withHooks({ postStart: { httpGet: { path: "/start", port } } });
    assert.deepEqual(await runner.postStart(pod, container, "id", "127.0.0.1"), {
      ok: false,
      output: "",
      error:
        'HTTP lifecycle hook (/start) for Container "app" in Pod "web_default(uid-1)" failed - error: ' +
        `Get "http://127.0.0.1:${port}/start": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
    const noIp = await runner.postStart(pod, container, "id", undefined);
    assert.equal(noIp.ok, false);
    assert.match(noIp.ok ? "" : (noIp.error ?? ""), /failed to find networking container/);
  });

  it("retries an HTTPS hook over HTTP when the server speaks HTTP, with an event", async () => {
    const events: HookEvent[] = [];
    const runner = createHookRunner(new Runtime(), { onEvent: (e) => events.push(e) });
    const container = withHooks({
      preStop: {
        httpGet: {
          scheme: "HTTPS",
          path: "/stop",
          port: server.port,
          httpHeaders: [{ name: "Authorization", value: "Bearer secret" }],
        },
      },
    });
    const before = server.requests.length;
    assert.deepEqual(await runner.preStop(pod, container, "id", "127.0.0.1", 5), {
      ok: true,
      output: "",
    });
    const req = server.requests.at(-1);
    assert.equal(server.requests.length, before + 1);
    assert.equal(req?.url, "/stop");
    assert.equal(req?.headers.authorization, undefined);
    assert.deepEqual(
      events.map((e) => [e.reason, e.message]),
      [
        [
          "LifecycleHTTPFallback",
          `request to HTTPS lifecycle hook 127.0.0.1:${server.port} got HTTP response, retry with HTTP succeeded`,
        ],
      ],
    );
  });

  it("sleeps for a sleep hook", async () => {
    const runner = createHookRunner(new Runtime(), { timeScale: 0.01 });
    const container = withHooks({ postStart: { sleep: { seconds: 5 } } });
    const started = Date.now();
    assert.deepEqual(await runner.postStart(pod, container, "id", undefined), {
      ok: true,
      output: "",
    });
    const took = Date.now() - started;
    assert.ok(took >= 45, `slept ${took} ms`);
  });

  it("ends a sleep hook early when cancelled, with upstream's message", async () => {
    const runner = createHookRunner(new Runtime());
    const container = withHooks({ postStart: { sleep: { seconds: 30 } } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const result = await runner.postStart(pod, container, "id", undefined, {
      signal: controller.signal,
    });
    assert.deepEqual(result, {
      ok: false,
      output: "",
      error:
        'Sleep lifecycle hook (30) for Container "app" in Pod "web_default(uid-1)" failed - error: container terminated before sleep hook finished',
    });
  });

  it("never lets preStop exceed its budget (sleep, exec, http)", async () => {
    const runtime = new Runtime();
    const id = await runtime.running();
    runtime.delayMs = 10_000;
    const runner = createHookRunner(runtime, { timeScale: 0.01 });
    const hooks: LifecycleHandler[] = [
      { sleep: { seconds: 600 } },
      { exec: { command: ["sleep", "600"] } },
      { httpGet: { path: "/slow", port: server.port } },
    ];
    for (const preStop of hooks) {
      const started = Date.now();
      const result = await runner.preStop(pod, withHooks({ preStop }), id, "127.0.0.1", 10);
      const took = Date.now() - started;
      // The budget is 100 ms (scaled); the hooks alone would take 6 s or more.
      assert.ok(took >= 90 && took < 3_000, `${JSON.stringify(preStop)} took ${took} ms`);
      assert.deepEqual(result, {
        ok: false,
        output: "",
        error:
          'PreStop hook for Container "app" in Pod "web_default(uid-1)" not completed in grace period (10s)',
        timedOut: true,
      });
    }
    // The exec got the budget as its runtime timeout (scaled, rounded up to a whole second).
    assert.equal(runtime.requests[0]?.timeout, 1);
    // A zero budget gives up at once, except for a zero-second sleep.
    const zero = await runner.preStop(
      pod,
      withHooks({ preStop: hooks[0] as LifecycleHandler }),
      id,
      undefined,
      0,
    );
    assert.equal(zero.ok, false);
    assert.deepEqual(
      await runner.preStop(
        pod,
        withHooks({ preStop: { sleep: { seconds: 0 } } }),
        id,
        undefined,
        0,
      ),
      { ok: true, output: "" },
    );
  });

  it("returns a preStop that finishes within its budget", async () => {
    const runner = createHookRunner(new Runtime(), { timeScale: 0.01 });
    const result = await runner.preStop(
      pod,
      withHooks({ preStop: { sleep: { seconds: 3 } } }),
      "id",
      undefined,
      300,
    );
    assert.deepEqual(result, { ok: true, output: "" });
  });

  it("fails a tcpSocket hook at run time, as upstream (the field is deprecated)", async () => {
    const runner = createHookRunner(new Runtime());
    const result = await runner.postStart(
      pod,
      withHooks({ postStart: { tcpSocket: { port: 8080 } } }),
      "id",
      "127.0.0.1",
    );
    assert.deepEqual(result, {
      ok: false,
      output: "",
      error: 'Cannot run handler: invalid handler: {"tcpSocket":{"port":8080}}',
    });
  });
});
