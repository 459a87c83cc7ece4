import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Controller, RequeueAfter } from "../../../src/client/controller/runner.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { RateLimitingQueue } from "../../../src/client/workqueue/rate-limiting.js";
import type { Logger } from "../../../src/util/log.js";

const turn = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const log: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
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

  it("requeues a key after the delay a successful sync asks for with RequeueAfter", async () => {
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

  it("survives syncs that throw an Error or a non-Error, logs them and requeues until they succeed", async () => {
    const clock = new FakeClock();
    const { log, lines } = recordingLogger();
    const escaped: unknown[] = [];
    const onEscape = (err: unknown) => escaped.push(err);
    process.on("unhandledRejection", onEscape);
    process.on("uncaughtException", onEscape);
    const calls: string[] = [];
    const succeeded: string[] = [];
    const left = new Map([
      ["err", 2],
      ["str", 1],
    ]);
    const c = new Controller({
      name: "thrower",
      queue: new RateLimitingQueue({ clock }),
      log,
      waitForSync: async () => {},
      sync: async (key) => {
        calls.push(key);
        const n = left.get(key) ?? 0;
        if (n > 0) {
          left.set(key, n - 1);
          if (key === "err") throw new Error(`sync ${key} failed`);
          // Not an Error: a thrown string must be handled the same way.
          throw "a bare string";
        }
        succeeded.push(key);
      },
    });
    try {
      c.enqueue("err");
      c.enqueue("str");
      await c.run(1);
      await settle();
      assert.deepEqual(calls, ["err", "str"]);
      assert.equal(c.queue.numRequeues("err"), 1);
      assert.equal(c.queue.numRequeues("str"), 1);
      assert.deepEqual(
        lines.map((l) => [l.level, l.fields.key, l.fields.err]),
        [
          ["warn", "err", "Error: sync err failed"],
          ["warn", "str", "a bare string"],
        ],
      );
      assert.ok(lines.every((l) => l.fields.controller === "thrower"));
      clock.step(5); // both retry after the first backoff step
      await settle();
      assert.deepEqual(calls, ["err", "str", "err", "str"]);
      assert.deepEqual(succeeded, ["str"]);
      assert.equal(lines.length, 3, "the second failure of err is logged too");
      clock.step(10);
      await settle();
      assert.deepEqual(succeeded, ["str", "err"]);
      assert.equal(c.queue.numRequeues("err"), 0, "success forgets the failures");
      assert.equal(c.queue.len(), 0);
      clock.step(60_000);
      await settle();
      assert.equal(calls.length, 5, "nothing is synced again once it succeeded");
      assert.deepEqual(escaped, [], "no error escaped the worker");
    } finally {
      process.off("unhandledRejection", onEscape);
      process.off("uncaughtException", onEscape);
      await c.stop();
    }
  });

  it("runs no sync until waitForSync resolves", async () => {
    let cachesSynced: () => void = () => {};
    const synced = new Promise<void>((resolve) => {
      cachesSynced = resolve;
    });
    const calls: string[] = [];
    const c = new Controller({
      name: "waiter",
      queue: new RateLimitingQueue({ clock: new FakeClock() }),
      waitForSync: () => synced,
      sync: async (key) => {
        calls.push(key);
      },
    });
    c.enqueue("a");
    let running = false;
    const run = c.run(2).then(() => {
      running = true;
    });
    await settle();
    c.enqueue("b");
    await settle();
    assert.deepEqual(calls, [], "no sync before the caches are synced");
    assert.equal(running, false, "run() waits for the caches");
    cachesSynced();
    await run;
    await settle();
    assert.equal(running, true);
    assert.deepEqual(calls.sort(), ["a", "b"]);
    await c.stop();
  });
});
