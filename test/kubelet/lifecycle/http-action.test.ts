import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Container, HTTPGetAction } from "kubernetes-types/core/v1.js";
import { runHttpGetAction } from "../../../src/kubelet/lifecycle/index.js";
import { closedPort, httpServer, httpsServer, type TestServer } from "./servers.js";

const container: Container = { name: "app", ports: [{ name: "http", containerPort: 1 }] };
const target = (port: number, ports = container.ports) => ({
  podIP: "127.0.0.1",
  container: { ...container, ports: ports?.map((p) => ({ ...p, containerPort: port })) ?? [] },
});

describe("runHttpGetAction", () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const status = Number(url.searchParams.get("status") ?? "200");
      if (url.pathname === "/loop") {
        res.writeHead(302, { location: "/loop" }).end();
      } else if (url.pathname === "/local") {
        res.writeHead(301, { location: "/healthz?from=local" }).end("moved");
      } else if (url.pathname === "/away") {
        res.writeHead(302, { location: "http://localhost.invalid/elsewhere" }).end("gone away");
      } else if (url.pathname === "/big") {
        res.end("x".repeat(50_000));
      } else if (url.pathname === "/hang") {
        // never answers
      } else {
        res.writeHead(status).end(`status ${status} at ${req.url}`);
      }
    });
  });
  after(() => server.close());

  const action = (a: Partial<HTTPGetAction> & { path: string }): HTTPGetAction => ({
    port: server.port,
    ...a,
  });

  it("succeeds on 2xx with the body as output, sending upstream's default headers", async () => {
    const result = await runHttpGetAction(action({ path: "/healthz" }), target(server.port), 1);
    assert.deepEqual(result, { ok: true, output: "status 200 at /healthz" });
    const req = server.requests.at(-1);
    assert.equal(req?.headers["user-agent"], "kube-probe/1.32");
    assert.equal(req?.headers.accept, "*/*");
    assert.equal(req?.headers.connection, "close");
    assert.equal(req?.headers.host, `127.0.0.1:${server.port}`);
  });

  it("sends the action's headers, a Host override, and drops an empty Accept", async () => {
    const result = await runHttpGetAction(
      action({
        path: "healthz?full=1",
        httpHeaders: [
          { name: "X-Custom", value: "one" },
          { name: "x-custom", value: "two" },
          { name: "User-Agent", value: "mine/1" },
          { name: "Accept", value: "" },
          { name: "Host", value: "example.test" },
        ],
      }),
      target(server.port),
      1,
    );
    assert.equal(result.ok, true);
    const req = server.requests.at(-1);
    assert.equal(req?.url, "/healthz?full=1");
    assert.equal(req?.headers["x-custom"], "one, two");
    assert.equal(req?.headers["user-agent"], "mine/1");
    assert.equal(req?.headers.accept, undefined);
    assert.equal(req?.headers.host, "example.test");
  });

  it("resolves the port by container port name, or a numeric string", async () => {
    const byName = await runHttpGetAction({ path: "/named", port: "http" }, target(server.port), 1);
    assert.deepEqual(byName, { ok: true, output: "status 200 at /named" });
    const numeric = await runHttpGetAction(
      { path: "/numeric", port: String(server.port) },
      target(server.port, []),
      1,
    );
    assert.equal(numeric.ok, true);
    const unknown = await runHttpGetAction({ path: "/", port: "metrics" }, target(server.port), 1);
    assert.deepEqual(unknown, { ok: false, output: "", error: "port metrics not found" });
  });

  it("fails on 4xx and 5xx with upstream's message", async () => {
    for (const status of [404, 500, 503]) {
      const result = await runHttpGetAction(
        action({ path: `/?status=${status}` }),
        target(server.port),
        1,
      );
      assert.deepEqual(result, {
        ok: false,
        output: `HTTP probe failed with statuscode: ${status}`,
      });
    }
  });

  it("follows redirects on the same host, and warns on one to another host", async () => {
    const local = await runHttpGetAction(action({ path: "/local" }), target(server.port), 1);
    assert.deepEqual(local, { ok: true, output: "status 200 at /healthz?from=local" });
    const away = await runHttpGetAction(action({ path: "/away" }), target(server.port), 1);
    assert.deepEqual(away, {
      ok: true,
      warning: true,
      output: "Probe terminated redirects, Response body: gone away",
    });
    const other3xx = await runHttpGetAction(
      action({ path: "/?status=304" }),
      target(server.port),
      1,
    );
    assert.equal(other3xx.ok, true);
    assert.ok(other3xx.ok && other3xx.warning);
  });

  it("gives up after 10 redirects", async () => {
    const result = await runHttpGetAction(action({ path: "/loop" }), target(server.port), 1);
    assert.deepEqual(result, {
      ok: false,
      output: `Get "http://127.0.0.1:${server.port}/loop": stopped after 10 redirects`,
    });
  });

  it("reads at most 10 KiB of the body", async () => {
    const result = await runHttpGetAction(action({ path: "/big" }), target(server.port), 1);
    assert.equal(result.ok, true);
    assert.equal(result.output.length, 10 * 1024);
  });

  it("fails at the timeout with Go's message", async () => {
    const started = Date.now();
    const result = await runHttpGetAction(action({ path: "/hang" }), target(server.port), 0.1);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(result, {
      ok: false,
      output: `Get "http://127.0.0.1:${server.port}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      timedOut: true,
    });
  });

  it("fails on a refused connection with Go's message", async () => {
    const port = await closedPort();
    const result = await runHttpGetAction({ path: "/", port }, target(port), 1);
    assert.deepEqual(result, {
      ok: false,
      output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it("uses the action's host over the pod IP", async () => {
    const result = await runHttpGetAction(
      { host: "127.0.0.1", path: "/host", port: server.port },
      { podIP: "192.0.2.10", container },
      1,
    );
    assert.equal(result.ok, true);
  });
});

describe("runHttpGetAction over HTTPS", () => {
  let server: TestServer;
  before(async () => {
    server = await httpsServer((req, res) => {
      res.writeHead(req.url === "/bad" ? 500 : 200).end("secure");
    });
  });
  after(() => server.close());

  it("does not verify the certificate, as upstream", async () => {
    const ok = await runHttpGetAction(
      { scheme: "HTTPS", path: "/", port: server.port },
      target(server.port),
      1,
    );
    assert.deepEqual(ok, { ok: true, output: "secure" });
    const bad = await runHttpGetAction(
      { scheme: "HTTPS", path: "/bad", port: server.port },
      target(server.port),
      1,
    );
    assert.deepEqual(bad, { ok: false, output: "HTTP probe failed with statuscode: 500" });
  });
});
