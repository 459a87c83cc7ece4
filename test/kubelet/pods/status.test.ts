import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContainerStatus, Pod } from "kubernetes-types/core/v1.js";
import { Backoff } from "../../../src/kubelet/pods/backoff.js";
import { podPhase } from "../../../src/kubelet/pods/phase.js";
import { generatePodStatus, type StatusInputs } from "../../../src/kubelet/pods/status.js";
import { c, ctr, exited, pod, rpod, sandbox } from "./fixtures.js";

const inputs = (
  p: Pod,
  rp: ReturnType<typeof rpod>,
  extra: Partial<StatusInputs> = {},
): StatusInputs => ({
  pod: p,
  runtime: rp,
  oldStatus: undefined,
  waiting: new Map(),
  ready: () => undefined,
  started: () => true,
  hostIPs: ["192.0.2.1"],
  now: Date.parse("2026-11-22T10:00:00Z"),
  runtimeName: "k8ts",
  ...extra,
});

const running = (name: string): ContainerStatus => ({
  name,
  image: "",
  imageID: "",
  ready: true,
  restartCount: 0,
  state: { running: {} },
});
const terminated = (name: string, exitCode: number): ContainerStatus => ({
  name,
  image: "",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode } },
});
const waitingAfter = (name: string, exitCode: number): ContainerStatus => ({
  name,
  image: "",
  imageID: "",
  ready: false,
  restartCount: 1,
  state: { waiting: { reason: "CrashLoopBackOff" } },
  lastState: { terminated: { exitCode } },
});

describe("podPhase (the notes' definitions)", () => {
  it("Running while at least one container runs", () => {
    assert.equal(
      podPhase(pod({ containers: [c("a"), c("b")] }), [], [running("a"), terminated("b", 0)]),
      "Running",
    );
  });
  it("Succeeded when all terminated with 0 under Never or OnFailure; Running under Always", () => {
    const two = [c("a"), c("b")];
    assert.equal(
      podPhase(
        pod({ containers: two, restartPolicy: "Never" }),
        [],
        [terminated("a", 0), terminated("b", 0)],
      ),
      "Succeeded",
    );
    assert.equal(
      podPhase(
        pod({ containers: two, restartPolicy: "OnFailure" }),
        [],
        [terminated("a", 0), terminated("b", 0)],
      ),
      "Succeeded",
    );
    assert.equal(
      podPhase(pod({ containers: two }), [], [terminated("a", 0), terminated("b", 0)]),
      "Running",
    );
  });
  it("Failed under Never only when all terminated and one failed", () => {
    const two = [c("a"), c("b")];
    const p = pod({ containers: two, restartPolicy: "Never" });
    assert.equal(podPhase(p, [], [running("a"), terminated("b", 1)]), "Running");
    assert.equal(podPhase(p, [], [terminated("a", 0), terminated("b", 1)]), "Failed");
  });
  it("a crash-looping container keeps the pod Running", () => {
    assert.equal(podPhase(pod(), [], [waitingAfter("app", 1)]), "Running");
  });
  it("Pending during initialization; Failed when an init container fails under Never", () => {
    const p = pod({ initContainers: [c("i")] });
    assert.equal(podPhase(p, [running("i")], []), "Pending");
    assert.equal(podPhase(p, [terminated("i", 1)], []), "Pending", "will be retried");
    assert.equal(
      podPhase(pod({ initContainers: [c("i")], restartPolicy: "Never" }), [terminated("i", 1)], []),
      "Failed",
    );
  });
});

describe("generatePodStatus", () => {
  it("a new pod: containers ContainerCreating, PodScheduled kept, IPs and qosClass set", () => {
    const p = pod({}, {});
    const withScheduled = {
      ...p,
      status: { conditions: [{ type: "PodScheduled", status: "True" }] },
    } as Pod;
    const s = generatePodStatus(inputs(withScheduled, rpod([], [])));
    assert.equal(s.phase, "Pending");
    assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, "ContainerCreating");
    assert.deepEqual(
      s.conditions?.map((x) => `${x.type}=${x.status}`),
      [
        "PodReadyToStartContainers=False",
        "Initialized=True",
        "Ready=False",
        "ContainersReady=False",
        "PodScheduled=True",
      ],
    );
    assert.equal(s.qosClass, "BestEffort");
    assert.equal(s.hostIP, "192.0.2.1");
    assert.equal(s.podIP, undefined);
  });

  it("app containers wait with PodInitializing while init containers run", () => {
    const p = pod({ initContainers: [c("i")] });
    const s = generatePodStatus(inputs(p, rpod([sandbox()], [ctr(p, "i")])));
    assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, "PodInitializing");
    assert.ok(s.initContainerStatuses?.[0]?.state?.running);
    const init = s.conditions?.find((x) => x.type === "Initialized");
    assert.equal(init?.message, "containers with incomplete status: [i]");
    assert.equal(s.podIP, "10.88.0.2");
  });

  it("a running container is ready unless its readiness probe says otherwise", () => {
    const p = pod();
    const rp = rpod([sandbox()], [ctr(p, "app")]);
    assert.equal(generatePodStatus(inputs(p, rp)).containerStatuses?.[0]?.ready, true);
    const s = generatePodStatus(inputs(p, rp, { ready: () => false }));
    assert.equal(s.containerStatuses?.[0]?.ready, false);
    const ready = s.conditions?.find((x) => x.type === "Ready");
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      ["False", "ContainersNotReady", "containers with unready status: [app]"],
    );
  });

  it("ephemeral containers get statuses of their own, never ready and not counted for the pod", () => {
    const p = pod({
      restartPolicy: "Never",
      ephemeralContainers: [
        { name: "debugger", image: "busybox" },
        { name: "later", image: "busybox" },
      ],
    });
    const rp = rpod([sandbox()], [ctr(p, "app"), ctr(p, "debugger", exited(1))]);
    const s = generatePodStatus(inputs(p, rp));
    const [debug, later] = s.ephemeralContainerStatuses ?? [];
    assert.equal(debug?.name, "debugger");
    assert.equal(debug?.state?.terminated?.exitCode, 1);
    assert.equal(debug?.ready, false);
    assert.equal(debug?.restartCount, 0);
    assert.equal(later?.state?.waiting?.reason, "ContainerCreating");
    assert.deepEqual(
      s.containerStatuses?.map((x) => x.name),
      ["app"],
    );
    assert.equal(s.phase, "Running");
    assert.equal(s.conditions?.find((x) => x.type === "Ready")?.status, "True");
    const running = generatePodStatus(
      inputs(p, rpod([sandbox()], [ctr(p, "app"), ctr(p, "debugger")])),
    );
    assert.ok(running.ephemeralContainerStatuses?.[0]?.state?.running);
    assert.equal(running.ephemeralContainerStatuses?.[0]?.ready, false);
    assert.equal(
      generatePodStatus(inputs(pod(), rpod([sandbox()], []))).ephemeralContainerStatuses,
      undefined,
    );
  });

  it("a restarted container shows its previous run as lastState and counts restarts", () => {
    const p = pod();
    const rp = rpod(
      [sandbox()],
      [ctr(p, "app", exited(137, { reason: "OOMKilled" })), ctr(p, "app", { restartCount: 1 })],
    );
    const st = generatePodStatus(inputs(p, rp)).containerStatuses?.[0];
    assert.equal(st?.restartCount, 1);
    assert.ok(st?.state?.running);
    assert.equal(st?.lastState?.terminated?.reason, "OOMKilled");
    assert.equal(st?.lastState?.terminated?.exitCode, 137);
  });

  it("a container in back-off shows the waiting reason over its terminated state", () => {
    const p = pod();
    const rp = rpod([sandbox()], [ctr(p, "app", exited(1))]);
    const st = generatePodStatus(
      inputs(p, rp, {
        waiting: new Map([["app", { reason: "CrashLoopBackOff", message: "back-off 10s" }]]),
      }),
    ).containerStatuses?.[0];
    assert.equal(st?.state?.waiting?.reason, "CrashLoopBackOff");
    assert.equal(st?.lastState?.terminated?.reason, "Error");
  });

  it("a terminal phase never changes, and lastTransitionTime moves only with status", () => {
    const p = pod({ restartPolicy: "Never" });
    const rp = rpod([sandbox()], [ctr(p, "app", exited(0))]);
    const first = generatePodStatus(inputs(p, rp));
    assert.equal(first.phase, "Succeeded");
    assert.equal(first.containerStatuses?.[0]?.state?.terminated?.reason, "Completed");
    const later = generatePodStatus(
      inputs(p, rpod([], []), { oldStatus: first, now: Date.parse("2026-11-22T11:00:00Z") }),
    );
    assert.equal(later.phase, "Succeeded");
    const t1 = first.conditions?.find((x) => x.type === "Initialized")?.lastTransitionTime;
    const t2 = later.conditions?.find((x) => x.type === "Initialized")?.lastTransitionTime;
    assert.equal(t1, t2);
  });

  it("termination messages come from the message file's content", () => {
    const p = pod({ restartPolicy: "Never" });
    const done = ctr(p, "app", exited(2));
    const st = generatePodStatus(
      inputs(p, rpod([sandbox()], [done]), { terminationMessages: new Map([[done.id, "bye"]]) }),
    ).containerStatuses?.[0];
    assert.equal(st?.state?.terminated?.message, "bye");
    assert.equal(st?.containerID, `k8ts://${done.id}`);
  });
});

describe("Backoff", () => {
  it("doubles from 10 s to 5 min and resets after a long good run", () => {
    const b = new Backoff();
    assert.equal(b.remaining("k", 0, 0), 0, "first restart is immediate");
    b.next("k", 0);
    assert.equal(b.remaining("k", 1000, 1000), 10_000);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next("k", 1000 + i);
      delays.push(b.delay("k"));
    }
    assert.deepEqual(delays, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    b.next("k", 2000, 600_000);
    assert.equal(b.delay("k"), 10_000);
  });
  it("forgets an entry untouched for twice the maximum", () => {
    const b = new Backoff();
    b.next("k", 0);
    assert.equal(b.remaining("k", 700_000, 700_001), 0);
  });
});
