import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../../src/client/util/clock.js";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
  RateLimiterConfigError,
} from "../../../src/client/workqueue/index.js";

function whens(limiter: RateLimiter, key: string, n: number): number[] {
  return Array.from({ length: n }, () => limiter.when(key));
}

/** A limiter that always answers `ms` and counts its calls. */
function fixed(ms: number): RateLimiter & { calls: number; forgotten: string[] } {
  return {
    calls: 0,
    forgotten: [],
    when() {
      this.calls++;
      return ms;
    },
    forget(key) {
      this.forgotten.push(key);
    },
    numRequeues() {
      return ms;
    },
  };
}

describe("ItemExponentialFailureRateLimiter", () => {
  it("doubles the delay from 5 ms on each failure by default", () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    assert.deepEqual(whens(limiter, "a", 5), [5, 10, 20, 40, 80]);
    assert.equal(limiter.numRequeues("a"), 5);
  });

  it("caps the delay at maxDelayMs", () => {
    const limiter = new ItemExponentialFailureRateLimiter({ baseDelayMs: 1, maxDelayMs: 10 });
    assert.deepEqual(whens(limiter, "a", 6), [1, 2, 4, 8, 10, 10]);
  });

  it("caps at 1000 s by default, even after enough failures to overflow", () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    const delays = whens(limiter, "a", 2000);
    assert.equal(delays[17], 655_360);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays.at(-1), 1_000_000);
  });

  it("tracks each key separately", () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    whens(limiter, "a", 3);
    assert.equal(limiter.when("b"), 5);
    assert.equal(limiter.numRequeues("a"), 3);
    assert.equal(limiter.numRequeues("b"), 1);
  });

  it("starts over from the base delay after forget", () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    whens(limiter, "a", 4);
    limiter.forget("a");
    assert.equal(limiter.numRequeues("a"), 0);
    assert.deepEqual(whens(limiter, "a", 2), [5, 10]);
  });

  it("rejects negative delays with RateLimiterConfigError", () => {
    assert.throws(
      () => new ItemExponentialFailureRateLimiter({ baseDelayMs: -1 }),
      RateLimiterConfigError,
    );
  });
});

describe("BucketRateLimiter", () => {
  it("allows a burst, then spaces retries by 1/qps", () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter({ qps: 10, burst: 100, clock });
    assert.deepEqual(new Set(whens(limiter, "k", 100)), new Set([0]));
    assert.deepEqual(whens(limiter, "k", 3), [100, 200, 300]);
  });

  it("refills tokens as time passes, up to the burst", () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter({ qps: 10, burst: 2, clock });
    assert.deepEqual(whens(limiter, "k", 3), [0, 0, 100]);
    clock.step(100);
    assert.equal(limiter.when("k"), 100, "the refilled token paid the debt");
    clock.step(10_000);
    assert.deepEqual(whens(limiter, "k", 3), [0, 0, 100], "refill stops at the burst");
  });

  it("shares one bucket across keys and never counts requeues", () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter({ qps: 1, burst: 1, clock });
    assert.equal(limiter.when("a"), 0);
    assert.equal(limiter.when("b"), 1000);
    limiter.forget("a");
    assert.equal(limiter.numRequeues("a"), 0);
  });

  it("never waits with infinite qps", () => {
    const limiter = new BucketRateLimiter({ qps: Number.POSITIVE_INFINITY, burst: 1 });
    assert.deepEqual(whens(limiter, "k", 5), [0, 0, 0, 0, 0]);
  });

  it("rejects a non-positive qps or a burst below one with RateLimiterConfigError", () => {
    assert.throws(() => new BucketRateLimiter({ qps: 0 }), RateLimiterConfigError);
    assert.throws(() => new BucketRateLimiter({ burst: 0 }), RateLimiterConfigError);
  });
});

describe("MaxOfRateLimiter", () => {
  it("waits as long as the slowest limiter and asks every one of them", () => {
    const short = fixed(10);
    const long = fixed(50);
    const limiter = new MaxOfRateLimiter(short, long);
    assert.equal(limiter.when("a"), 50);
    assert.equal(short.calls, 1);
    assert.equal(long.calls, 1);
  });

  it("reports the largest requeue count and forgets in every limiter", () => {
    const short = fixed(1);
    const long = fixed(3);
    const limiter = new MaxOfRateLimiter(short, long);
    assert.equal(limiter.numRequeues("a"), 3);
    limiter.forget("a");
    assert.deepEqual([short.forgotten, long.forgotten], [["a"], ["a"]]);
  });

  it("waits nothing when it has no limiters", () => {
    assert.equal(new MaxOfRateLimiter().when("a"), 0);
  });
});

describe("defaultControllerRateLimiter", () => {
  it("backs one key off exponentially from 5 ms", () => {
    const limiter = defaultControllerRateLimiter(new FakeClock());
    assert.deepEqual(whens(limiter, "a", 4), [5, 10, 20, 40]);
    assert.equal(limiter.numRequeues("a"), 4);
    limiter.forget("a");
    assert.equal(limiter.when("a"), 5);
  });

  it("limits all keys together to 10 per second after a burst of 100", () => {
    const limiter = defaultControllerRateLimiter(new FakeClock());
    for (let i = 0; i < 100; i++) assert.equal(limiter.when(`key-${i}`), 5);
    assert.equal(limiter.when("key-100"), 100);
    assert.equal(limiter.when("key-101"), 200);
  });
});
