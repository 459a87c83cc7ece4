/** The manager on the real clock (scaled down) with httpGet, tcpSocket and slow exec probes. */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { type ProbeEvent, ProbeManager } from "../../../src/kubelet/prober/index.js";
import type { ExecSyncRequest, ExecSyncResponse } from "../../../src/runtime/cri.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";
import { podWith, UID } from "./harness.js";

/** Durations times 0.01: a 10 s period is 100 ms. */
const SCALE = 0.01;
/** Probes that should succeed get 500 ms (scaled) to answer, so a loaded machine does not fail them. */
const ROOMY = 50;

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Managers to stop after each test, passed or failed (a live one would keep the file running). */
const live = new Set<ProbeManager>();
afterEach(async () => {
  for (const m of live) await m.stop();
  live.clear();
});

function manager(runtime = new FakeRuntimeService({ images: new FakeImageService() })) {
  const events: ProbeEvent[] = [];
  const changes: string[] = [];
  const m = new ProbeManager({
    runtime,
    onChange: (uid) => changes.push(uid),
    onEvent: (e) => events.push(e),
    timeScale: SCALE,
  });
  live.add(m);
  return { m, events, changes };
}

describe("ProbeManager with network probes", () => {
  let server: http.Server;
  let port = 0;
  let status = 200;
  let hang = false;
  before(async () => {
    server = http.createServer((req, res) => {
      if (hang) return;
      if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://elsewhere.invalid/" }).end("see elsewhere");
        return;
      }
      res.writeHead(status).end("fine");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it("follows an httpGet readiness probe on a named port through failure and recovery", async () => {
    status = 200;
    const { m, events, changes } = manager();
    const pod = podWith([
      {
        name: "app",
        ports: [{ name: "http", containerPort: port }],
        readinessProbe: {
          httpGet: { path: "/ready", port: "http" },
          failureThreshold: 2,
          timeoutSeconds: ROOMY,
        },
      },
    ]);
    m.update(pod, "127.0.0.1", [
      { name: "app", containerId: "c1", startedAt: Date.now(), running: true },
    ]);
    await until("ready", () => m.ready(UID, "app") === true);
    status = 503;
    await until("not ready", () => m.ready(UID, "app") === false);
    assert.ok(events.length >= 2);
    assert.equal(
      events[0]?.message,
      "Readiness probe failed: HTTP probe failed with statuscode: 503",
    );
    status = 200;
    await until("ready again", () => m.ready(UID, "app") === true);
    assert.ok(changes.length >= 3);
    await m.stop();
  });

  it("counts a redirect to another host as success with a ProbeWarning", async () => {
    const { m, events } = manager();
    const pod = podWith([
      {
        name: "app",
        readinessProbe: { httpGet: { path: "/redirect", port }, timeoutSeconds: ROOMY },
      },
    ]);
    m.update(pod, "127.0.0.1", [
      { name: "app", containerId: "c1", startedAt: Date.now(), running: true },
    ]);
    await until("ready", () => m.ready(UID, "app") === true);
    assert.deepEqual(
      { reason: events[0]?.reason, message: events[0]?.message },
      {
        reason: "ProbeWarning",
        message:
          "Readiness probe warning: Probe terminated redirects, Response body: see elsewhere",
      },
    );
    await m.stop();
  });

  it("fails an httpGet liveness probe that times out", async () => {
    hang = true;
    try {
      const { m, events } = manager();
      const pod = podWith([
        { name: "app", livenessProbe: { httpGet: { path: "/", port }, timeoutSeconds: 2 } },
      ]);
      m.update(pod, "127.0.0.1", [
        { name: "app", containerId: "c1", startedAt: Date.now(), running: true },
      ]);
      await until("liveness failure", () => m.liveness(UID, "app") === "failure");
      assert.equal(events.length, 3);
      assert.match(
        events[0]?.message ?? "",
        /^Liveness probe failed: Get ".*": context deadline exceeded/,
      );
      await m.stop();
    } finally {
      hang = false;
    }
  });

  it("probes a tcpSocket and fails when nothing listens", async () => {
    const { m } = manager();
    const pod = podWith([
      { name: "up", readinessProbe: { tcpSocket: { port }, timeoutSeconds: ROOMY } },
      {
        name: "down",
        livenessProbe: { tcpSocket: { port: 1 }, failureThreshold: 1, timeoutSeconds: ROOMY },
      },
    ]);
    m.update(pod, "127.0.0.1", [
      { name: "up", containerId: "c1", startedAt: Date.now(), running: true },
      { name: "down", containerId: "c2", startedAt: Date.now(), running: true },
    ]);
    await until("up ready", () => m.ready(UID, "up") === true);
    await until("down dead", () => m.liveness(UID, "down") === "failure");
    await m.stop();
  });

  it("fails an exec probe that outlives timeoutSeconds", async () => {
    class SlowExec extends FakeRuntimeService {
      override async execSync(_request: ExecSyncRequest): Promise<ExecSyncResponse> {
        await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
        return { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: 0 };
      }
    }
    const { m, events } = manager(new SlowExec({ images: new FakeImageService() }));
    const pod = podWith([
      {
        name: "app",
        livenessProbe: {
          exec: { command: ["sleep", "5"] },
          timeoutSeconds: 1,
          failureThreshold: 1,
        },
      },
    ]);
    m.update(pod, "127.0.0.1", [
      { name: "app", containerId: "c1", startedAt: Date.now(), running: true },
    ]);
    await until("liveness failure", () => m.liveness(UID, "app") === "failure");
    assert.equal(events[0]?.message, 'Liveness probe failed: command "sleep 5" timed out');
    await m.stop();
  });
});
