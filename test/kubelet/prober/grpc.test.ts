import assert from "node:assert/strict";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { runGrpcAction } from "../../../src/kubelet/prober/index.js";

/** The service name in a framed HealthCheckRequest (field 1, a short string). */
function serviceOf(body: Buffer): string {
  const message = body.subarray(5);
  return message.length === 0 ? "" : message.subarray(2, 2 + (message[1] ?? 0)).toString("utf8");
}

/** A framed HealthCheckResponse{status}. */
function response(status: number): Buffer {
  return Buffer.from([0, 0, 0, 0, 2, 0x08, status]);
}

describe("runGrpcAction", () => {
  let server: http2.Http2Server;
  let port = 0;
  const agents: string[] = [];
  before(async () => {
    server = http2.createServer();
    server.on("stream", (stream, headers) => {
      agents.push(String(headers["user-agent"]));
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const service = serviceOf(Buffer.concat(chunks));
        if (headers[":path"] !== "/grpc.health.v1.Health/Check" || service === "legacy") {
          stream.respond(
            {
              ":status": 200,
              "content-type": "application/grpc",
              "grpc-status": "12",
              "grpc-message": "unknown service grpc.health.v1.Health",
            },
            { endStream: true },
          );
          return;
        }
        if (service === "slow") return;
        stream.respond(
          { ":status": 200, "content-type": "application/grpc" },
          { waitForTrailers: true },
        );
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(response(service === "" || service === "web" ? 1 : 2));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("succeeds when the service is SERVING", async () => {
    assert.deepEqual(await runGrpcAction({ port }, "127.0.0.1", 1), {
      ok: true,
      output: "service healthy",
    });
    assert.deepEqual(await runGrpcAction({ port, service: "web" }, "127.0.0.1", 1), {
      ok: true,
      output: "service healthy",
    });
    assert.equal(agents.at(-1), "kube-probe/1.32");
  });

  it("fails on NOT_SERVING and on servers without the health protocol", async () => {
    assert.deepEqual(await runGrpcAction({ port, service: "db" }, "127.0.0.1", 1), {
      ok: false,
      output: 'service unhealthy (responded with "NOT_SERVING")',
    });
    assert.deepEqual(await runGrpcAction({ port, service: "legacy" }, "127.0.0.1", 1), {
      ok: false,
      output:
        "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health",
    });
  });

  it("fails at the timeout, and when nothing listens", async () => {
    const slow = await runGrpcAction({ port, service: "slow" }, "127.0.0.1", 0.1);
    assert.deepEqual(slow, {
      ok: false,
      timedOut: true,
      output: "timeout: health rpc did not complete within 0.1s",
    });
    const closed = await runGrpcAction({ port: 1 }, "127.0.0.1", 1);
    assert.equal(closed.ok, false);
    assert.match(closed.output, /^error: failed to connect service at "127\.0\.0\.1:1": /);
  });
});
