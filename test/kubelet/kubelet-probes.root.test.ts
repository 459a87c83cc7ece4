// Root suite: probes on real containers. test-liveness-exec from the notes
// runs with its own timings (about 35 s to the first restart), alongside a
// readiness probe over HTTP, in a suite of its own so it runs beside the
// other engine suite.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CoreEvent } from "../../src/client/events/recorder.js";
import { type EngineKubelet, startEngineKubelet } from "./engine-harness.js";
import { until } from "./harness.js";

describe("kubelet probes on the runc engine", () => {
  let k: EngineKubelet;
  before(async () => {
    k = await startEngineKubelet(1);
  });
  after(async () => {
    await k?.stop();
  });

  const events = async (name: string) =>
    (
      JSON.parse(
        await k.h.kubectl([
          "get",
          "events",
          "--field-selector",
          `involvedObject.name=${name}`,
          "-o",
          "json",
        ]),
      ) as { items: CoreEvent[] }
    ).items;

  it("test-liveness-exec: after ~35 s a Liveness probe failed event, RESTARTS 1, still Running", async () => {
    await k.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { labels: { test: "liveness" }, name: "test-liveness-exec" },
      spec: {
        nodeName: "node-1",
        containers: [
          {
            name: "liveness",
            image: "busybox",
            args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"],
            livenessProbe: {
              exec: { command: ["cat", "/tmp/healthy"] },
              initialDelaySeconds: 5,
              periodSeconds: 5,
            },
          },
        ],
      },
    });
    const p = await k.runningPod("test-liveness-exec");
    const started = Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? "");
    const restarted = await until(
      "RESTARTS 1",
      async () => {
        const q = await k.h.getPod("test-liveness-exec");
        const s = q?.status?.containerStatuses?.[0];
        return s?.restartCount === 1 && s.state?.running ? q : undefined;
      },
      90_000,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 30_000, `restarted after ${elapsed} ms, not before the file was removed`);
    assert.equal(restarted.status?.phase, "Running");
    const table = await k.h.kubectl(["get", "pod", "test-liveness-exec", "--no-headers"]);
    assert.match(table, /test-liveness-exec\s+1\/1\s+Running\s+1 \(\S+ ago\)/);
    const evs = await events("test-liveness-exec");
    const unhealthy = evs.find((e) => e.reason === "Unhealthy");
    assert.match(
      unhealthy?.message ?? "",
      /^Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/,
    );
    assert.ok(
      evs.some(
        (e) =>
          e.reason === "Killing" &&
          /failed liveness probe, will be restarted/.test(e.message ?? ""),
      ),
    );
  });

  it("a readiness probe over HTTP flips Ready without restarting the container", async () => {
    await k.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "ready-web" },
      spec: {
        nodeName: "node-1",
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "web",
            image: "busybox",
            command: ["sh", "-c", "mkdir -p /www; httpd -f -p 8080 -h /www"],
            ports: [{ name: "http", containerPort: 8080 }],
            readinessProbe: {
              httpGet: { path: "/ready", port: "http" },
              periodSeconds: 1,
              failureThreshold: 1,
            },
          },
        ],
      },
    });
    const p = await k.runningPod("ready-web");
    const ready = async () =>
      (await k.h.getPod("ready-web"))?.status?.containerStatuses?.[0]?.ready;
    assert.equal(await ready(), false, "no /ready yet");
    assert.match(await k.h.kubectl(["get", "pod", "ready-web", "--no-headers"]), /0\/1\s+Running/);
    await k.execIn(p, "web", ["sh", "-c", "echo ok > /www/ready"]);
    await until("Ready", async () => (await ready()) === true);
    const cond = (await k.h.getPod("ready-web"))?.status?.conditions?.find(
      (c) => c.type === "Ready",
    );
    assert.equal(cond?.status, "True");
    await k.execIn(p, "web", ["rm", "/www/ready"]);
    await until("not Ready again", async () => (await ready()) === false);
    assert.equal((await k.h.getPod("ready-web"))?.status?.containerStatuses?.[0]?.restartCount, 0);
  });
});
