import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PodWorkers } from "../../src/kubelet/workers/pod-workers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PodWorkers", () => {
  it("never overlaps syncs of one pod and collapses requests made meanwhile into one more", async () => {
    let running = 0;
    let max = 0;
    let calls = 0;
    const w = new PodWorkers(async () => {
      calls++;
      running++;
      max = Math.max(max, running);
      await sleep(30);
      running--;
    });
    w.enqueue("a");
    w.enqueue("a");
    w.enqueue("a");
    await sleep(120);
    assert.equal(max, 1);
    assert.equal(calls, 2, "the first sync, then one for everything asked during it");
    await w.stop();
  });

  it("retries a failed sync by itself", async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const w = new PodWorkers(
      async () => {
        calls++;
        if (calls === 1) throw new Error("transient");
      },
      { onError: (_uid, err) => errors.push(err) },
    );
    w.enqueue("a");
    await sleep(1300);
    assert.equal(calls, 2);
    assert.equal(errors.length, 1);
    await w.stop();
  });
});
