import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  computePodActions,
  nextInitContainer,
  sandboxChanged,
} from "../../../src/kubelet/pods/actions.js";
import { c, ctr, exited, pod, rpod, sandbox } from "./fixtures.js";

const names = (cs: readonly { name: string }[]) => cs.map((x) => x.name);

describe("computePodActions", () => {
  it("a new pod gets a sandbox and its app containers", () => {
    const p = pod({ containers: [c("a"), c("b")] });
    const a = computePodActions(p, rpod([], []));
    assert.equal(a.createSandbox, true);
    assert.equal(a.attempt, 0);
    assert.deepEqual(names(a.containersToStart), ["a", "b"]);
  });

  it("an ephemeral container starts once the sandbox runs, and never again", () => {
    const p = pod({ ephemeralContainers: [{ name: "debugger", image: "busybox" }] });
    assert.deepEqual(computePodActions(p, rpod([], [])).ephemeralContainersToStart, []);
    const app = ctr(p, "app");
    const start = computePodActions(p, rpod([sandbox()], [app]));
    assert.deepEqual(names(start.ephemeralContainersToStart), ["debugger"]);
    assert.equal(start.killPod, false);
    for (const policy of ["Always", "OnFailure", "Never"] as const) {
      const q = {
        ...p,
        spec: { ...p.spec, containers: p.spec?.containers ?? [], restartPolicy: policy },
      };
      const done = computePodActions(q, rpod([sandbox()], [app, ctr(q, "debugger", exited(1))]));
      assert.deepEqual(done.ephemeralContainersToStart, [], policy);
      assert.deepEqual(done.containersToStart, [], policy);
      assert.equal(done.killPod, false, policy);
    }
  });

  it("ephemeral containers start while init containers still run", () => {
    const p = pod({
      initContainers: [c("i1")],
      ephemeralContainers: [{ name: "debugger", image: "busybox", targetContainerName: "app" }],
    });
    const a = computePodActions(p, rpod([sandbox()], [ctr(p, "i1")]));
    assert.deepEqual(names(a.ephemeralContainersToStart), ["debugger"]);
    assert.equal("targetContainerName" in (a.ephemeralContainersToStart[0] ?? {}), false);
  });

  it("a running ephemeral container does not keep a finished pod alive", () => {
    const p = pod({
      restartPolicy: "Never",
      ephemeralContainers: [{ name: "debugger", image: "busybox" }],
    });
    const a = computePodActions(
      p,
      rpod([sandbox()], [ctr(p, "app", exited(0)), ctr(p, "debugger")]),
    );
    assert.equal(a.killPod, true);
    assert.deepEqual(a.ephemeralContainersToStart, []);
  });

  it("a terminating pod starts no ephemeral container", () => {
    const p = pod(
      { ephemeralContainers: [{ name: "debugger", image: "busybox" }] },
      { deletionTimestamp: "2024-01-01T00:00:00Z" },
    );
    const a = computePodActions(p, rpod([sandbox()], [ctr(p, "app")]));
    assert.deepEqual(a.ephemeralContainersToStart, []);
  });

  it("a new pod with init containers starts only the first init container", () => {
    const p = pod({ initContainers: [c("i1"), c("i2")] });
    const a = computePodActions(p, rpod([], []));
    assert.equal(a.nextInitContainer?.name, "i1");
    assert.deepEqual(a.containersToStart, []);
  });

  it("init containers run one after another, each to success", () => {
    const p = pod({ initContainers: [c("i1"), c("i2")] });
    const running = computePodActions(p, rpod([sandbox()], [ctr(p, "i1")]));
    assert.equal(running.nextInitContainer, undefined, "waits for i1");
    assert.deepEqual(running.containersToStart, []);
    const next = computePodActions(p, rpod([sandbox()], [ctr(p, "i1", exited(0))]));
    assert.equal(next.nextInitContainer?.name, "i2");
    const done = computePodActions(
      p,
      rpod([sandbox()], [ctr(p, "i1", exited(0)), ctr(p, "i2", exited(0))]),
    );
    assert.deepEqual(names(done.containersToStart), ["app"]);
  });

  it("a failed init container is retried unless restartPolicy is Never, which kills the pod", () => {
    const p = pod({ initContainers: [c("i1")] });
    const failed = [ctr(p, "i1", exited(1))];
    assert.equal(computePodActions(p, rpod([sandbox()], failed)).nextInitContainer?.name, "i1");
    const never = pod({ initContainers: [c("i1")], restartPolicy: "Never" });
    const a = computePodActions(never, rpod([sandbox()], [ctr(never, "i1", exited(1))]));
    assert.equal(a.killPod, true);
    assert.equal(a.nextInitContainer, undefined);
  });

  it("restart policies decide whether an exited app container starts again", () => {
    for (const [policy, code, restart] of [
      ["Always", 0, true],
      ["Always", 1, true],
      ["OnFailure", 0, false],
      ["OnFailure", 1, true],
      ["Never", 1, false],
    ] as const) {
      const p = pod({ restartPolicy: policy });
      const a = computePodActions(p, rpod([sandbox()], [ctr(p, "app", exited(code))]));
      assert.equal(a.containersToStart.length === 1, restart, `${policy} exit ${code}`);
      assert.equal(
        a.killPod,
        !restart,
        `${policy} exit ${code}: sandbox stopped when nothing runs`,
      );
    }
  });

  it("a running container whose spec changed is killed and restarted", () => {
    const p = pod();
    const old = ctr(p, "app", { hash: "different" });
    const a = computePodActions(p, rpod([sandbox()], [old]));
    assert.equal(
      a.containersToKill.get(old.id)?.message,
      "Container app definition changed, will be restarted",
    );
    assert.deepEqual(names(a.containersToStart), ["app"]);
  });

  it("a liveness failure kills the container; it restarts unless the policy is Never", () => {
    const p = pod();
    const r = ctr(p, "app");
    const probes = { livenessFailed: (id: string) => id === r.id, startupFailed: () => false };
    const a = computePodActions(p, rpod([sandbox()], [r]), probes);
    assert.equal(a.containersToKill.get(r.id)?.reason, "LivenessProbe");
    assert.deepEqual(names(a.containersToStart), ["app"]);
    const never = pod({ restartPolicy: "Never" });
    const r2 = ctr(never, "app");
    const b = computePodActions(never, rpod([sandbox()], [r2]), {
      livenessFailed: () => true,
      startupFailed: () => false,
    });
    assert.equal(b.containersToKill.get(r2.id)?.message, "Container app failed liveness probe");
    assert.deepEqual(b.containersToStart, []);
    assert.equal(b.killPod, true);
  });

  it("a dead sandbox is replaced with the next attempt, restarting from the first init container", () => {
    const p = pod({ initContainers: [c("i1")] });
    const a = computePodActions(
      p,
      rpod(
        [sandbox({ state: "SANDBOX_NOTREADY", attempt: 2 })],
        [ctr(p, "i1", exited(0)), ctr(p, "app")],
      ),
    );
    assert.equal(a.createSandbox, true);
    assert.equal(a.killPod, true);
    assert.equal(a.attempt, 3);
    assert.equal(a.nextInitContainer?.name, "i1");
  });

  it("a Never pod whose sandbox died after its containers ran gets no new sandbox", () => {
    const p = pod({ restartPolicy: "Never" });
    const a = computePodActions(
      p,
      rpod([sandbox({ state: "SANDBOX_NOTREADY", attempt: 1 })], [ctr(p, "app", exited(0))]),
    );
    assert.equal(a.createSandbox, false);
  });

  it("OnFailure: a new sandbox starts only the containers that have not succeeded", () => {
    const p = pod({ restartPolicy: "OnFailure", containers: [c("a"), c("b")] });
    const a = computePodActions(
      p,
      rpod(
        [sandbox({ state: "SANDBOX_NOTREADY" })],
        [ctr(p, "a", exited(0)), ctr(p, "b", exited(1))],
      ),
    );
    assert.deepEqual(names(a.containersToStart), ["b"]);
  });
});

describe("sandboxChanged", () => {
  it("needs a sandbox when none, when not ready, when the network mode differs, or when it has no IP", () => {
    const p = pod();
    assert.equal(sandboxChanged(p, rpod([], [])).changed, true);
    assert.equal(sandboxChanged(p, rpod([sandbox()], [])).changed, false);
    assert.equal(
      sandboxChanged(p, rpod([sandbox({ state: "SANDBOX_NOTREADY" })], [])).changed,
      true,
    );
    assert.equal(sandboxChanged(p, rpod([sandbox({ hostNetwork: true })], [])).changed, true);
    const { ip: _ip, ...noIp } = sandbox();
    assert.equal(sandboxChanged(p, rpod([noIp], [])).changed, true);
    assert.equal(
      sandboxChanged(pod({ hostNetwork: true }), rpod([{ ...noIp, hostNetwork: true }], []))
        .changed,
      false,
    );
  });
});

describe("nextInitContainer", () => {
  it("is done once an app container runs (init containers may be gone)", () => {
    const p = pod({ initContainers: [c("i1")] });
    assert.equal(nextInitContainer(p, rpod([sandbox()], [ctr(p, "app")])).done, true);
  });
});
