import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../../src/client/util/clock.js";
import {
  ItemExponentialFailureRateLimiter,
  RateLimitingQueue,
} from "../../../src/client/workqueue/index.js";
import { drainKeys, take } from "./helpers.js";

describe("RateLimitingQueue", () => {
  it("adds a failed key after the delay its rate limiter gives", async () => {
    const clock = new FakeClock();
    const rateLimiter = new ItemExponentialFailureRateLimiter({ baseDelayMs: 10 });
    const q = new RateLimitingQueue({ clock, rateLimiter });

    q.addRateLimited("a");
    clock.step(9);
    assert.equal(q.len(), 0);
    clock.step(1);
    const key = await take(q);
    q.done(key);

    q.addRateLimited("a");
    clock.step(19);
    assert.equal(q.len(), 0, "the second retry waits twice as long");
    clock.step(1);
    assert.deepEqual(await drainKeys(q), ["a"]);
    assert.equal(q.numRequeues("a"), 2);
  });

  it("starts a key's backoff over after forget", () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock });
    q.addRateLimited("a");
    q.addRateLimited("a");
    assert.equal(q.numRequeues("a"), 2);
    q.forget("a");
    assert.equal(q.numRequeues("a"), 0);
  });

  it("uses the default controller rate limiter on the given clock", async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock });
    q.addRateLimited("a");
    clock.step(4);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.deepEqual(await drainKeys(q), ["a"]);
  });

  it("leaves no timer behind after shutdown", () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock });
    q.addRateLimited("a");
    q.addRateLimited("b");
    q.shutDown();
    assert.equal(clock.pending, 0);
  });
});
