import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POD_NAME, POD_NAMESPACE, POD_UID } from "../../../src/kubelet/cri/labels.js";
import { podStats } from "../../../src/kubelet/metrics/summary.js";
import type { Container, ContainerStats } from "../../../src/runtime/cri.js";

const labels = { [POD_UID]: "u1", [POD_NAME]: "web", [POD_NAMESPACE]: "default" };
const stats = (id: string, name: string): ContainerStats => ({
  attributes: {
    id,
    metadata: { name },
    labels: { ...labels, "io.kubernetes.container.name": name },
  },
  cpu: { timestamp: 2_000_000_000_000_000_000n, usageCoreNanoSeconds: { value: 5n } },
  memory: { timestamp: 2_000_000_000_000_000_000n, workingSetBytes: { value: 7n } },
});
const container = (id: string, state: Container["state"]): Container => ({
  id,
  podSandboxId: "s",
  metadata: { name: id },
  image: { image: "x" },
  imageRef: "x",
  state,
  createdAt: 1_700_000_000_000_000_000n,
  labels,
  annotations: {},
});

describe("/stats/summary pods", () => {
  it("leaves exited containers out and gives the others their start time", () => {
    const [pod] = podStats([stats("a", "app"), stats("b", "init")], {
      now: new Date(0),
      containers: [container("a", "CONTAINER_RUNNING"), container("b", "CONTAINER_EXITED")],
    });
    assert.deepEqual(pod?.podRef, { name: "web", namespace: "default", uid: "u1" });
    assert.deepEqual(pod?.containers, [
      {
        name: "app",
        startTime: new Date(1_700_000_000_000).toISOString(),
        cpu: { time: new Date(2_000_000_000_000).toISOString(), usageCoreNanoSeconds: 5 },
        memory: { time: new Date(2_000_000_000_000).toISOString(), workingSetBytes: 7 },
      },
    ]);
    assert.equal(pod?.cpu.usageCoreNanoSeconds, 5);
  });

  it("keeps every container when the runtime's list is not given", () => {
    const [pod] = podStats([stats("a", "app"), stats("b", "init")], { now: new Date(0) });
    assert.equal(pod?.containers.length, 2);
  });
});
