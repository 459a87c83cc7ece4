import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkQueue, WorkQueueInvariantError } from "../../../src/client/workqueue/index.js";
import { drainKeys, flush, isSettled, take } from "./helpers.js";

describe("WorkQueue", () => {
  it("hands keys out in the order they were added", async () => {
    const q = new WorkQueue();
    for (const key of ["c", "a", "b", "d"]) q.add(key);
    assert.deepEqual(await drainKeys(q), ["c", "a", "b", "d"]);
  });

  it("coalesces duplicate adds of a queued key into one pass", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("a");
    q.add("a");
    assert.equal(q.len(), 2);
    assert.deepEqual(await drainKeys(q), ["a", "b"]);
  });

  it("counts only queued keys in len, not keys being processed", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    await take(q);
    assert.equal(q.len(), 1);
  });

  it("makes get wait until a key is added", async () => {
    const q = new WorkQueue();
    const pending = q.get();
    assert.equal(await isSettled(pending), false);
    q.add("a");
    assert.deepEqual(await pending, { key: "a", shutdown: false });
  });

  it("gives a key added during processing exactly one more pass after done", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await take(q);
    q.add("a");
    q.add("a");
    assert.equal(q.len(), 0, "a key being processed is not queued again");

    const next = q.get();
    assert.equal(await isSettled(next), false, "no second worker gets the key before done");
    q.done(key);
    assert.deepEqual(await next, { key: "a", shutdown: false });
    q.done("a");

    assert.equal(q.len(), 0);
    assert.equal(await isSettled(q.get()), false, "no third pass");
  });

  it("puts a key re-added during processing at the back of the line", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await take(q);
    q.add("a");
    q.add("b");
    q.done(key);
    assert.deepEqual(await drainKeys(q), ["b", "a"]);
  });

  it("hands parked workers keys in the order the workers arrived", async () => {
    const q = new WorkQueue();
    const first = q.get();
    const second = q.get();
    q.add("x");
    q.add("y");
    assert.deepEqual(await first, { key: "x", shutdown: false });
    assert.deepEqual(await second, { key: "y", shutdown: false });
  });

  it("never processes one key in two of four async workers at once", async () => {
    const q = new WorkQueue();
    const keys = ["a", "b", "c"];
    const inFlight = new Map<string, number>();
    const passes = new Map<string, number>();
    let maxInFlight = 0;
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };

    const worker = async (): Promise<void> => {
      for (;;) {
        const { key, shutdown } = await q.get();
        if (shutdown) return;
        const now = (inFlight.get(key) ?? 0) + 1;
        inFlight.set(key, now);
        maxInFlight = Math.max(maxInFlight, now);
        passes.set(key, (passes.get(key) ?? 0) + 1);
        for (let i = random(4); i > 0; i--) await flush();
        inFlight.set(key, (inFlight.get(key) ?? 0) - 1);
        q.done(key);
      }
    };
    const workers = [worker(), worker(), worker(), worker()];

    for (let round = 0; round < 200; round++) {
      q.add(keys[random(keys.length)] ?? "a");
      if (random(3) === 0) await flush();
    }
    await q.shutDownWithDrain();
    await Promise.all(workers);

    assert.equal(maxInFlight, 1);
    for (const key of keys) assert.ok((passes.get(key) ?? 0) > 1, `${key} was processed`);
  });

  it("throws WorkQueueInvariantError when done is called for a key not being processed", () => {
    const q = new WorkQueue();
    q.add("a");
    assert.throws(() => q.done("a"), WorkQueueInvariantError);
    assert.throws(() => q.done("never-added"), WorkQueueInvariantError);
  });
});

describe("WorkQueue shutdown", () => {
  it("resolves get with shutdown once shut down and empty", async () => {
    const q = new WorkQueue();
    q.shutDown();
    assert.equal(q.shuttingDown(), true);
    assert.deepEqual(await q.get(), { key: undefined, shutdown: true });
  });

  it("wakes workers parked in get with shutdown", async () => {
    const q = new WorkQueue();
    const parked = [q.get(), q.get()];
    q.shutDown();
    for (const result of await Promise.all(parked)) assert.equal(result.shutdown, true);
  });

  it("still hands out queued keys after shutdown, then signals shutdown", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.shutDown();
    assert.deepEqual(await drainKeys(q), ["a", "b"]);
    assert.equal((await q.get()).shutdown, true);
  });

  it("ignores adds after shutdown", async () => {
    const q = new WorkQueue();
    q.shutDown();
    q.add("a");
    assert.equal(q.len(), 0);
    assert.equal((await q.get()).shutdown, true);
  });

  it("queues a key marked dirty before shutdown when its processing is done", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await take(q);
    q.add("a");
    q.shutDown();
    q.done(key);
    assert.deepEqual(await drainKeys(q), ["a"]);
  });

  it("resolves shutDownWithDrain at once when nothing is queued or in flight", async () => {
    const q = new WorkQueue();
    assert.equal(await isSettled(q.shutDownWithDrain()), true);
  });

  it("makes shutDownWithDrain wait until in-flight keys are done", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    const a = await take(q);
    const b = await take(q);
    const drained = q.shutDownWithDrain();
    assert.equal((await q.get()).shutdown, true, "workers are told to stop");
    q.add("c");
    assert.equal(q.len(), 0, "adds are ignored while draining");

    q.done(a);
    assert.equal(await isSettled(drained), false);
    q.done(b);
    assert.equal(await isSettled(drained), true);
  });

  it("makes shutDownWithDrain wait for a key that done put back on the queue", async () => {
    const q = new WorkQueue();
    q.add("a");
    const first = await take(q);
    q.add("a");
    const drained = q.shutDownWithDrain();

    q.done(first);
    assert.equal(await isSettled(drained), false, "the dirty key still needs its pass");
    const again = await take(q);
    assert.equal(await isSettled(drained), false);
    q.done(again);
    assert.equal(await isSettled(drained), true);
    assert.equal((await q.get()).shutdown, true);
  });

  it("releases a pending shutDownWithDrain when shutDown is called", async () => {
    const q = new WorkQueue();
    q.add("a");
    await take(q);
    const drained = q.shutDownWithDrain();
    assert.equal(await isSettled(drained), false);
    q.shutDown();
    assert.equal(await isSettled(drained), true);
  });
});
