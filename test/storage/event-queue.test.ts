import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventQueue } from "../../src/storage/event-queue.js";

async function drain<T>(q: EventQueue<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of q) out.push(x);
  return out;
}

describe("event queue", () => {
  it("delivers pushed items in order, then ends", async () => {
    const q = new EventQueue<number>();
    q.push(1);
    const done = drain(q);
    q.push(2);
    q.push(3);
    q.end();
    q.push(4);
    assert.deepEqual(await done, [1, 2, 3]);
  });

  it("delivers queued items before the failure that ended it", async () => {
    const q = new EventQueue<number>();
    q.push(1);
    q.fail(new Error("boom"));
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of q) seen.push(x);
      })(),
      /boom/,
    );
    assert.deepEqual(seen, [1]);
  });

  it("a waiting consumer wakes on failure", async () => {
    const q = new EventQueue<number>();
    const done = drain(q);
    await new Promise((r) => setImmediate(r));
    q.fail(new Error("gone"));
    await assert.rejects(done, /gone/);
  });

  it("breaking out of the loop calls the return hook", async () => {
    let returned = 0;
    const q = new EventQueue<number>(() => returned++);
    q.push(1);
    q.push(2);
    for await (const x of q) if (x === 1) break;
    assert.equal(returned, 1);
    assert.equal(q.closed, true);
  });

  it("allows one consumer only", () => {
    const q = new EventQueue<number>();
    q[Symbol.asyncIterator]();
    assert.throws(() => q[Symbol.asyncIterator](), /single consumer/);
  });
});
