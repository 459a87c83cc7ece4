import assert from "node:assert/strict";
import type { GetResult, WorkQueue } from "../../../src/client/workqueue/index.js";

/** Lets every pending promise callback run (one macrotask turn, no timers). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` has settled once pending callbacks have run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await flush();
  return settled;
}

/** Takes the next key, failing if the queue is shut down or has nothing ready. */
export async function take(queue: WorkQueue): Promise<string> {
  const pending = queue.get();
  assert.ok(await isSettled(pending), "expected a key to be ready");
  const result: GetResult = await pending;
  assert.equal(result.shutdown, false, "expected a key, got shutdown");
  return result.key ?? "";
}

/** Takes every ready key, marking each done, and returns them in order. */
export async function drainKeys(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await take(queue);
    keys.push(key);
    queue.done(key);
  }
  return keys;
}
