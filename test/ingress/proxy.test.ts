// The data plane alone: a Router with a hand-built table, the forwarder
// on a loopback server, and raw upstreams that misbehave on purpose.
import assert from "node:assert/strict";
import { Agent, createServer, type Server } from "node:http";
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
} from "node:net";
import { after, describe, it } from "node:test";
import { indexServices } from "../../src/ingress/backends.js";
import { HttpForwarder } from "../../src/ingress/proxy.js";
import { Router } from "../../src/ingress/router.js";
import { buildRouteTable } from "../../src/ingress/routes.js";
import { silentLogger } from "../../src/util/log.js";
import { ingress, rule, service, slice } from "./fixtures.js";
import { httpGet } from "./test-client.js";

const listen = (s: Server | TcpServer) =>
  new Promise<number>((resolve) =>
    s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)),
  );

/** A proxy whose only route sends host `up.test` to 127.0.0.1:`port`. */
async function proxyTo(port: number, opts: { timeoutMs?: number } = {}) {
  const router = new Router();
  const index = indexServices(
    [service("up", [{ port: 80 }])],
    [slice("up", { ports: [{ port }], ready: ["127.0.0.1"] })],
  );
  router.swap(
    buildRouteTable([ingress("i", { rules: [rule("up.test", ["Prefix / -> up:80"])] })], index),
  );
  const agent = new Agent({ keepAlive: true });
  const forwarder = new HttpForwarder({
    router,
    agent,
    upstreamTimeoutMs: opts.timeoutMs ?? 5000,
    log: silentLogger,
  });
  const server = createServer(forwarder.handler("http"));
  const proxyPort = await listen(server);
  return {
    port: proxyPort,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe("ingress data plane", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("answers 504 when the upstream sends nothing in time", async () => {
    const silent = createTcpServer((s) => s.on("data", () => {}));
    const port = await listen(silent);
    const proxy = await proxyTo(port, { timeoutMs: 200 });
    cleanups.push(
      () => proxy.close(),
      () => new Promise<void>((r) => silent.close(() => r())),
    );
    const a = await httpGet(proxy.port, { host: "up.test" });
    assert.equal(a.status, 504);
  });

  it("retries a bodyless request once when a reused keep-alive connection was closed under it", async () => {
    let connections = 0;
    // Each connection answers its first request and silently hangs up on the next one.
    const flaky = createTcpServer((s) => {
      connections++;
      let requests = 0;
      s.on("data", (d: Buffer) => {
        if (!d.includes("\r\n\r\n")) return;
        if (++requests > 1) return void s.destroy();
        s.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok");
      });
    });
    const port = await listen(flaky);
    const proxy = await proxyTo(port);
    cleanups.push(
      () => proxy.close(),
      () => new Promise<void>((r) => flaky.close(() => r())),
    );
    assert.equal((await httpGet(proxy.port, { host: "up.test" })).body, "ok");
    assert.equal((await httpGet(proxy.port, { host: "up.test" })).body, "ok");
    assert.equal(connections, 2);
  });

  it("answers 404 for an unrouted host and keeps the client connection usable", async () => {
    const proxy = await proxyTo(1);
    cleanups.push(() => proxy.close());
    const a = await httpGet(proxy.port, { host: "nowhere.test", method: "POST" });
    assert.equal(a.status, 404);
    assert.match(a.body, /default backend/);
  });
});
