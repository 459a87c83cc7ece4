import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../src/client/util/clock.js";
import { SyncRunner } from "../../src/proxy/sync-runner.js";

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A runner over a sync that records when it ran and can be held open or made to fail. */
function harness(opts: { minIntervalMs?: number; maxIntervalMs?: number } = {}) {
  const clock = new FakeClock(0);
  const runs: number[] = [];
  const errors: unknown[] = [];
  let fail = 0;
  let hold: Promise<void> | undefined;
  const runner = new SyncRunner(
    async () => {
      runs.push(clock.now());
      if (hold) await hold;
      if (fail > 0) {
        fail--;
        throw new Error("restore failed");
      }
    },
    { minIntervalMs: 1000, maxIntervalMs: 30_000, ...opts, clock, onError: (e) => errors.push(e) },
  );
  const step = async (ms: number) => {
    clock.step(ms);
    await flush();
  };
  return {
    clock,
    runs,
    errors,
    runner,
    step,
    failNext(n: number) {
      fail = n;
    },
    holdNext() {
      let release = () => {};
      hold = new Promise<void>((r) => {
        release = () => {
          hold = undefined;
          r();
        };
      });
      return release;
    },
  };
}

describe("sync runner", () => {
  it("runs once on start, and requests made in one tick coalesce into one sync", async () => {
    const h = harness();
    h.runner.start();
    await h.step(0);
    assert.deepEqual(h.runs, [0]);
    h.runner.run();
    h.runner.run();
    h.runner.run();
    await h.step(0);
    assert.deepEqual(h.runs, [0, 0], "the second token of the burst");
    await h.runner.stop();
  });

  it("after a burst of two, syncs are spaced by the min interval", async () => {
    const h = harness();
    h.runner.start();
    await h.step(0);
    h.runner.run();
    await h.step(0);
    h.runner.run();
    await h.step(0);
    assert.deepEqual(h.runs, [0, 0], "third waits for a token");
    await h.step(999);
    assert.equal(h.runs.length, 2);
    await h.step(1);
    assert.deepEqual(h.runs, [0, 0, 1000]);
    h.runner.run();
    await h.step(500);
    assert.equal(h.runs.length, 3);
    await h.step(500);
    assert.deepEqual(h.runs, [0, 0, 1000, 2000]);
    await h.runner.stop();
  });

  it("never overlaps: a request during a sync runs after it finishes", async () => {
    const h = harness();
    const release = h.holdNext();
    h.runner.start();
    await h.step(0);
    h.runner.run();
    await h.step(5000);
    assert.equal(h.runs.length, 1, "still in the first sync");
    release();
    await flush();
    await h.step(0);
    assert.deepEqual(h.runs, [0, 5000]);
    await h.runner.stop();
  });

  it("syncs every max interval without requests", async () => {
    const h = harness();
    h.runner.start();
    await h.step(0);
    await h.step(30_000);
    await h.step(30_000);
    assert.deepEqual(h.runs, [0, 30_000, 60_000]);
    await h.runner.stop();
  });

  it("retries a failed sync with backoff, and reports each failure", async () => {
    const h = harness();
    h.failNext(3);
    h.runner.start();
    await h.step(0);
    for (let i = 0; i < 8; i++) await h.step(1000);
    assert.deepEqual(h.runs, [0, 1000, 3000, 7000]);
    assert.equal(h.errors.length, 3);
    await h.runner.stop();
  });

  it("idle() resolves once nothing is pending; stop() cancels the timers", async () => {
    const h = harness();
    h.runner.start();
    let idle = false;
    void h.runner.idle().then(() => {
      idle = true;
    });
    await flush();
    assert.equal(idle, false);
    await h.step(0);
    await flush();
    assert.equal(idle, true);
    await h.runner.stop();
    h.runner.run();
    await h.step(60_000);
    assert.deepEqual(h.runs, [0]);
    assert.equal(h.clock.pending, 0);
  });
});
