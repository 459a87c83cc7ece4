import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Controller, RequeueAfter } from "../../../src/client/controller/runner.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { RateLimitingQueue } from "../../../src/client/workqueue/rate-limiting.js";

const turn = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

describe("controller runner", () => {
  it("waits for the caches, then syncs each key, retrying failures with backoff", async () => {
    const clock = new FakeClock();
    let synced = false;
    const calls: string[] = [];
    let failures = 2;
    const c = new Controller({
      name: "test",
      queue: new RateLimitingQueue({ clock }),
      waitForSync: async () => {
        synced = true;
      },
      sync: async (key) => {
        assert.ok(synced, "sync only after the caches synced");
        calls.push(key);
        if (key === "flaky" && failures-- > 0) throw new Error("not yet");
      },
    });
    c.enqueue("a");
    c.enqueue("flaky");
    await c.run(2);
    await settle();
    assert.deepEqual(calls, ["a", "flaky"]);
    clock.step(5); // first retry after 5 ms
    await settle();
    assert.deepEqual(calls, ["a", "flaky", "flaky"]);
    clock.step(10); // second retry after 10 ms more
    await settle();
    assert.deepEqual(calls, ["a", "flaky", "flaky", "flaky"]);
    assert.equal(c.queue.numRequeues("flaky"), 0, "success forgets the failures");
    await c.stop();
  });

  it("never crashes on a throwing sync and honours RequeueAfter", async () => {
    const clock = new FakeClock();
    const calls: number[] = [];
    const c = new Controller({
      name: "test",
      queue: new RateLimitingQueue({ clock }),
      waitForSync: async () => {},
      sync: async () => {
        calls.push(clock.now());
        return new RequeueAfter(1000);
      },
    });
    c.enqueue("k");
    await c.run(1);
    await settle();
    clock.step(999);
    await settle();
    assert.equal(calls.length, 1);
    clock.step(1);
    await settle();
    assert.deepEqual(calls, [0, 1000]);
    await c.stop();
  });
});
