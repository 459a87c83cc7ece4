import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container } from "kubernetes-types/core/v1.js";
import { execProbe, Harness, podWith, UID } from "./harness.js";

const running = (name: string, containerId: string, startedAt: number) => ({
  name,
  containerId,
  startedAt,
  running: true,
});

describe("ProbeManager readiness", () => {
  it("is undefined without a readiness probe, false until probed, then follows the thresholds", async () => {
    const h = new Harness();
    const id = await h.start();
    const plain = podWith([{ name: "app" }]);
    h.manager.update(plain, "10.0.0.5", [running("app", id, h.clock.now())]);
    assert.equal(h.manager.ready(UID, "app"), undefined);

    const pod = podWith([
      {
        name: "app",
        readinessProbe: execProbe(["ready"], { successThreshold: 2, failureThreshold: 3 }),
      },
    ]);
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    assert.equal(h.manager.ready(UID, "app"), false, "not ready before any probe");
    assert.deepEqual(h.changes, [], "update() itself never fires onChange");

    await h.elapse(0);
    assert.deepEqual(h.commands(), ["ready"], "first probe at once (no initial delay)");
    assert.equal(h.manager.ready(UID, "app"), false, "one success is below successThreshold 2");
    await h.elapse(10_000);
    assert.deepEqual(h.commands(), ["ready", "ready"], "default period is 10 s");
    assert.equal(h.manager.ready(UID, "app"), true);
    assert.deepEqual(h.changes, [UID]);

    h.exitCode = () => 1;
    await h.elapse(20_000);
    assert.equal(h.manager.ready(UID, "app"), true, "two failures are below failureThreshold 3");
    await h.elapse(10_000);
    assert.equal(h.manager.ready(UID, "app"), false);
    assert.deepEqual(h.changes, [UID, UID]);
    assert.equal(h.events.length, 3, "an event on every failed attempt");
    assert.deepEqual(h.events[0] && { ...h.events[0], pod: undefined }, {
      pod: undefined,
      container: "app",
      kind: "readiness",
      type: "Warning",
      reason: "Unhealthy",
      message: "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
    });

    // Readiness keeps probing after failures and recovers.
    h.exitCode = () => 0;
    await h.elapse(20_000);
    assert.equal(h.manager.ready(UID, "app"), true);
    await h.manager.stop();
    assert.equal(h.clock.pending, 0);
  });

  it("waits initialDelaySeconds counted from startedAt", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([
      {
        name: "app",
        readinessProbe: execProbe(["ready"], { initialDelaySeconds: 8, periodSeconds: 2 }),
      },
    ]);
    // The container started 5 s ago: 3 s of delay are left.
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now() - 5_000)]);
    await h.elapse(2_900);
    assert.deepEqual(h.commands(), []);
    await h.elapse(100);
    assert.deepEqual(h.commands(), ["ready"]);
    assert.equal(h.manager.ready(UID, "app"), true);
    await h.elapse(2_000);
    assert.deepEqual(h.commands(), ["ready", "ready"]);
    await h.manager.stop();
  });

  it("is false while the container is not running, and pauses its probes", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([{ name: "app", readinessProbe: execProbe(["ready"]) }]);
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(0);
    assert.equal(h.manager.ready(UID, "app"), true);
    h.manager.update(pod, "10.0.0.5", [{ ...running("app", id, 0), running: false }]);
    assert.equal(h.manager.ready(UID, "app"), false);
    assert.equal(h.manager.started(UID, "app"), false);
    assert.equal(h.manager.liveness(UID, "app"), "unknown");
    const before = h.commands().length;
    await h.elapse(60_000, 1_000);
    assert.equal(h.commands().length, before, "no probes of a stopped container");
    assert.equal(h.clock.pending, 0);
    await h.manager.stop();
  });
});

describe("ProbeManager liveness", () => {
  it("fails after failureThreshold, then holds until a new container ID resets it", async () => {
    const h = new Harness();
    const first = await h.start();
    const pod = podWith([
      {
        name: "app",
        livenessProbe: execProbe(["live"], { periodSeconds: 5, failureThreshold: 2 }),
      },
    ]);
    h.manager.update(pod, "10.0.0.5", [running("app", first, h.clock.now())]);
    assert.equal(h.manager.liveness(UID, "app"), "success", "live until proven otherwise");
    await h.elapse(0);
    h.exitCode = (id) => (id === first ? 1 : 0);
    await h.elapse(5_000);
    assert.equal(h.manager.liveness(UID, "app"), "success", "one failure is below the threshold");
    await h.elapse(5_000);
    assert.equal(h.manager.liveness(UID, "app"), "failure");
    assert.equal(h.manager.failedProbe(UID, "app"), "liveness");
    assert.deepEqual(h.changes, [UID]);
    assert.deepEqual(
      h.events.map((e) => e.message),
      [
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      ],
    );
    const probes = h.commands(first).length;
    await h.elapse(60_000, 1_000);
    assert.equal(h.commands(first).length, probes, "no probing of a condemned container");
    assert.equal(h.manager.liveness(UID, "app"), "failure");

    // The pod worker restarted it: a new container ID, results reset.
    const second = await h.start();
    h.manager.update(pod, "10.0.0.5", [running("app", second, h.clock.now())]);
    assert.equal(h.manager.liveness(UID, "app"), "success");
    assert.equal(h.manager.failedProbe(UID, "app"), undefined);
    await h.elapse(10_000);
    assert.deepEqual(h.commands(second), ["live", "live", "live"]);
    await h.manager.stop();
    assert.equal(h.clock.pending, 0);
  });

  it("reports success and stops probing while the pod is being deleted", async () => {
    const h = new Harness();
    const id = await h.start();
    const spec: Container = {
      name: "app",
      livenessProbe: execProbe(["live"], { failureThreshold: 1 }),
      readinessProbe: execProbe(["ready"]),
    };
    h.manager.update(podWith([spec]), "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(0);
    h.exitCode = () => 1;
    const deleting = podWith([spec], { deletionTimestamp: new Date().toISOString() });
    h.manager.update(deleting, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(30_000, 1_000);
    assert.equal(h.manager.liveness(UID, "app"), "success");
    assert.deepEqual(
      h.commands().filter((c) => c === "live"),
      ["live"],
      "liveness stopped",
    );
    assert.ok(h.commands().filter((c) => c === "ready").length >= 3, "readiness goes on");
    assert.equal(h.manager.ready(UID, "app"), false);
    await h.manager.stop();
  });
});

describe("ProbeManager startup", () => {
  it("gates liveness and readiness until it succeeds, then readiness runs at once", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([
      {
        name: "app",
        startupProbe: execProbe(["start"], { periodSeconds: 1, failureThreshold: 30 }),
        livenessProbe: execProbe(["live"]),
        readinessProbe: execProbe(["ready"]),
      },
    ]);
    let up = false;
    h.exitCode = (_id, cmd) => (cmd === "start" && !up ? 1 : 0);
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(4_000);
    assert.deepEqual(new Set(h.commands()), new Set(["start"]), "only the startup probe runs");
    assert.equal(h.manager.started(UID, "app"), false);
    assert.equal(h.manager.ready(UID, "app"), false);
    assert.equal(h.manager.liveness(UID, "app"), "success");
    assert.deepEqual(h.changes, []);
    assert.equal(h.events.length, 5);
    assert.equal(h.events[0]?.message.startsWith("Startup probe failed: "), true);

    up = true;
    await h.elapse(1_000, 1_000);
    assert.equal(h.manager.started(UID, "app"), true);
    assert.equal(h.manager.ready(UID, "app"), true, "readiness probed right after startup");
    assert.equal(h.commands().filter((c) => c === "ready").length, 1);
    const starts = h.commands().filter((c) => c === "start").length;
    await h.elapse(20_000, 1_000);
    assert.equal(h.commands().filter((c) => c === "start").length, starts, "startup is done");
    assert.ok(h.commands().includes("live"), "liveness runs once started");
    await h.manager.stop();
  });

  it("condemns the container when startup reaches failureThreshold", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([
      {
        name: "app",
        startupProbe: execProbe(["start"], { periodSeconds: 1, failureThreshold: 3 }),
        livenessProbe: execProbe(["live"]),
      },
    ]);
    h.exitCode = () => 1;
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(2_000);
    assert.equal(h.manager.liveness(UID, "app"), "failure");
    assert.equal(h.manager.failedProbe(UID, "app"), "startup");
    assert.equal(h.manager.started(UID, "app"), false);
    assert.deepEqual(h.commands(), ["start", "start", "start"]);
    await h.elapse(10_000, 1_000);
    assert.deepEqual(h.commands(), ["start", "start", "start"]);
    await h.manager.stop();
  });
});

describe("ProbeManager bookkeeping", () => {
  it("answers for unknown pods, probes sidecars, and forgets removed pods", async () => {
    const h = new Harness();
    assert.equal(h.manager.ready("nope", "app"), undefined);
    assert.equal(h.manager.started("nope", "app"), true);
    assert.equal(h.manager.liveness("nope", "app"), "unknown");

    const id = await h.start("proxy");
    const pod = podWith([{ name: "app" }]);
    pod.spec = {
      ...pod.spec,
      containers: [{ name: "app" }],
      initContainers: [
        { name: "proxy", restartPolicy: "Always", readinessProbe: execProbe(["ready"]) },
        { name: "setup", readinessProbe: execProbe(["never"]) },
      ],
    };
    h.manager.update(pod, "10.0.0.5", [running("proxy", id, h.clock.now())]);
    await h.elapse(0);
    assert.equal(h.manager.ready(UID, "proxy"), true);
    assert.deepEqual(h.commands(), ["ready"]);

    h.manager.removePod(UID);
    assert.equal(h.manager.ready(UID, "proxy"), undefined);
    await h.manager.stop();
    assert.equal(h.clock.pending, 0);
  });

  it("expands $(VAR) in exec probes from literal env values only", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([
      {
        name: "app",
        env: [
          { name: "FILE", value: "/tmp/healthy" },
          { name: "SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
        ],
        livenessProbe: execProbe(["cat", "$(FILE)", "$(SECRET)", "$$(FILE)", "$(MISSING)"]),
      },
    ]);
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(0);
    assert.deepEqual(h.runtime.execs[0]?.cmd, ["cat", "/tmp/healthy", "", "$(FILE)", "$(MISSING)"]);
    assert.equal(h.runtime.execs[0]?.timeout, 1, "timeoutSeconds defaults to 1");
    await h.manager.stop();
  });

  it("throws away errored attempts after retrying them, with an event", async () => {
    const h = new Harness();
    const pod = podWith([
      { name: "app", livenessProbe: execProbe(["live"], { failureThreshold: 1 }) },
    ]);
    // A container the runtime does not know: every exec is refused.
    h.manager.update(pod, "10.0.0.5", [running("app", "gone", h.clock.now())]);
    await h.elapse(0);
    assert.equal(h.runtime.execs.length, 3, "an errored attempt is tried 3 times");
    assert.equal(h.manager.liveness(UID, "app"), "success", "errors never count as failures");
    assert.equal(h.events.length, 1);
    assert.match(
      h.events[0]?.message ?? "",
      /^Liveness probe errored and resulted in unknown state: /,
    );
    await h.manager.stop();
  });

  it("stop() leaves no timer and no probe behind", async () => {
    const h = new Harness();
    const id = await h.start();
    const pod = podWith([
      {
        name: "app",
        livenessProbe: execProbe(["live"]),
        readinessProbe: execProbe(["ready"]),
        startupProbe: execProbe(["start"]),
      },
    ]);
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(15_000);
    assert.ok(h.clock.pending > 0);
    await h.manager.stop();
    assert.equal(h.clock.pending, 0);
    const before = h.commands().length;
    h.manager.update(pod, "10.0.0.5", [running("app", id, h.clock.now())]);
    await h.elapse(30_000, 1_000);
    assert.equal(h.commands().length, before, "a stopped manager ignores updates");
  });
});
