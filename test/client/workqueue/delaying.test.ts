import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../../src/client/util/clock.js";
import { DelayingQueue } from "../../../src/client/workqueue/index.js";
import { drainKeys, isSettled, take } from "./helpers.js";

function setup(): { clock: FakeClock; q: DelayingQueue } {
  const clock = new FakeClock(1_000);
  return { clock, q: new DelayingQueue({ clock }) };
}

describe("DelayingQueue", () => {
  it("adds a delayed key when its time comes, not before", async () => {
    const { clock, q } = setup();
    q.addAfter("a", 50);
    clock.step(49);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
    assert.equal(await take(q), "a");
  });

  it("adds at once for a zero or negative delay", () => {
    const { clock, q } = setup();
    q.addAfter("a", 0);
    q.addAfter("b", -5);
    assert.equal(q.len(), 2);
    assert.equal(clock.pending, 0);
  });

  it("fires a key scheduled several times once, at the earliest time", async () => {
    const { clock, q } = setup();
    q.addAfter("a", 100);
    q.addAfter("a", 30);
    q.addAfter("a", 60);
    clock.step(29);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.deepEqual(await drainKeys(q), ["a"]);
    clock.step(200);
    assert.equal(q.len(), 0, "the later times were dropped");
    assert.equal(clock.pending, 0);
  });

  it("adds delayed keys in the order their times come", async () => {
    const { clock, q } = setup();
    q.addAfter("late", 300);
    q.addAfter("early", 100);
    q.addAfter("middle", 200);
    q.addAfter("tie", 200);
    clock.step(300);
    assert.deepEqual(await drainKeys(q), ["early", "middle", "tie", "late"]);
  });

  it("keeps one timer armed, for the earliest waiting key", () => {
    const { clock, q } = setup();
    q.addAfter("a", 300);
    q.addAfter("b", 100);
    q.addAfter("c", 200);
    assert.equal(clock.pending, 1);
    clock.step(100);
    assert.equal(q.len(), 1);
    assert.equal(clock.pending, 1);
  });

  it("coalesces a delayed key with the same key already queued", async () => {
    const { clock, q } = setup();
    q.add("a");
    q.addAfter("a", 10);
    clock.step(10);
    assert.deepEqual(await drainKeys(q), ["a"]);
  });

  it("wakes a parked worker when a delayed key comes due", async () => {
    const { clock, q } = setup();
    const pending = q.get();
    q.addAfter("a", 10);
    assert.equal(await isSettled(pending), false);
    clock.step(10);
    assert.deepEqual(await pending, { key: "a", shutdown: false });
  });

  it("orders many delayed keys by their earliest time", async () => {
    const { clock, q } = setup();
    const earliest = new Map<string, number>();
    let seed = 11;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const key = `k${seed % 120}`;
      const ms = 1 + (seed % 100_003);
      q.addAfter(key, ms);
      earliest.set(key, Math.min(earliest.get(key) ?? Number.POSITIVE_INFINITY, ms));
    }
    const fired: string[] = [];
    for (let t = 0; t <= 100_003 && fired.length < earliest.size; t += 1) {
      clock.step(1);
      fired.push(...(await drainKeys(q)));
    }
    const expected = [...earliest].sort((a, b) => a[1] - b[1]).map(([key]) => key);
    assert.equal(fired.length, earliest.size);
    assert.deepEqual(
      fired.map((key) => earliest.get(key)),
      expected.map((key) => earliest.get(key)),
    );
    assert.equal(clock.pending, 0);
  });

  it("cancels pending delays on shutdown", async () => {
    const { clock, q } = setup();
    q.addAfter("a", 10);
    q.addAfter("b", 20);
    q.shutDown();
    assert.equal(clock.pending, 0);
    clock.step(100);
    assert.equal(q.len(), 0);
    assert.equal((await q.get()).shutdown, true);
  });

  it("cancels pending delays on shutDownWithDrain", async () => {
    const { clock, q } = setup();
    q.addAfter("a", 10);
    await q.shutDownWithDrain();
    assert.equal(clock.pending, 0);
  });

  it("ignores addAfter once shutting down", () => {
    const { clock, q } = setup();
    q.shutDown();
    q.addAfter("a", 10);
    q.addAfter("b", 0);
    assert.equal(clock.pending, 0);
    assert.equal(q.len(), 0);
  });
});
