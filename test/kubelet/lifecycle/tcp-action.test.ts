import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { runTcpAction } from "../../../src/kubelet/lifecycle/index.js";
import { closedPort } from "./servers.js";

describe("runTcpAction", () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  before(async () => {
    server = createServer((socket) => {
      connections++;
      socket.on("error", () => {});
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("succeeds when the port accepts a connection, and closes it", async () => {
    const result = await runTcpAction(
      { port },
      { podIP: "127.0.0.1", container: { name: "c" } },
      1,
    );
    assert.deepEqual(result, { ok: true, output: "" });
    for (let i = 0; i < 200 && connections === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(connections, 1);
  });

  it("resolves a named container port, and prefers the action's host", async () => {
    const result = await runTcpAction(
      { port: "db", host: "127.0.0.1" },
      {
        podIP: "192.0.2.7",
        container: { name: "c", ports: [{ name: "db", containerPort: port }] },
      },
      1,
    );
    assert.deepEqual(result, { ok: true, output: "" });
  });

  it("fails on a refused connection with Go's dial error", async () => {
    const closed = await closedPort();
    const result = await runTcpAction(
      { port: closed },
      { podIP: "127.0.0.1", container: { name: "c" } },
      1,
    );
    assert.deepEqual(result, {
      ok: false,
      output: `dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  });

  it("reports an unknown port name or an invalid port as an errored action", async () => {
    const target = { podIP: "127.0.0.1", container: { name: "c" } };
    assert.deepEqual(await runTcpAction({ port: "nope" }, target, 1), {
      ok: false,
      output: "",
      error: "port nope not found",
    });
    assert.deepEqual(await runTcpAction({ port: 70000 }, target, 1), {
      ok: false,
      output: "",
      error: "invalid port number: 70000",
    });
  });
});
