import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";

const pod: PodSandboxConfig = { metadata: { name: "p", uid: "u", namespace: "default" } };

describe("fake runtime usage", () => {
  it("reports zero usage unless a test sets some, then accumulates CPU time at that rate while running", async () => {
    let now = 1_000_000_000_000n;
    const runtime = new FakeRuntimeService({
      images: new FakeImageService({ preloaded: ["busybox"] }),
      now: () => now,
    });
    const sandbox = await runtime.runPodSandbox(pod);
    const id = await runtime.createContainer(sandbox, {
      config: { metadata: { name: "c" }, image: { image: "busybox" }, labels: { app: "x" } },
      sandboxConfig: pod,
    });
    await runtime.startContainer(id);
    now += 1_000_000_000n;
    let stats = await runtime.containerStats(id);
    assert.equal(stats.cpu?.usageCoreNanoSeconds?.value, 0n);
    assert.equal(stats.memory?.workingSetBytes?.value, 0n);

    const seen: string[] = [];
    runtime.usage = (c) => {
      seen.push(`${c.name}:${c.labels.app}`);
      return { nanoCores: 250_000_000, workingSetBytes: 4096 };
    };
    now += 2_000_000_000n;
    stats = await runtime.containerStats(id);
    assert.equal(stats.cpu?.usageCoreNanoSeconds?.value, 500_000_000n, "2 s at 250m");
    assert.equal(stats.cpu?.usageNanoCores?.value, 250_000_000n);
    assert.equal(stats.memory?.workingSetBytes?.value, 4096n);
    assert.deepEqual(seen, ["c:x"]);

    await runtime.stopContainer(id, 0);
    now += 5_000_000_000n;
    stats = (await runtime.listContainerStats())[0] ?? stats;
    assert.equal(
      stats.cpu?.usageCoreNanoSeconds?.value,
      500_000_000n,
      "a stopped container uses nothing",
    );
    assert.equal(stats.memory?.workingSetBytes?.value, 0n);
  });
});
