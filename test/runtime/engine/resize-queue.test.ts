import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TerminalSize } from "../../../src/runtime/cri.js";
import { ResizeQueue } from "../../../src/runtime/engine/resize-queue.js";

/** A queue whose writes and pauses are logged in order; pauses end at once. */
function queue() {
  const log: string[] = [];
  const q = new ResizeQueue({
    write: async (s: TerminalSize) => {
      log.push(`${s.height}x${s.width}`);
    },
    wait: async (ms) => {
      log.push(`pause ${ms}`);
    },
  });
  return { q, log };
}

describe("terminal resize queue", () => {
  it("writes kubectl's larger-then-real pair apart, then the real size once more", async () => {
    const { q, log } = queue();
    q.push({ width: 101, height: 31 });
    q.push({ width: 100, height: 30 });
    await q.idle();
    assert.deepEqual(log, ["31x101", "pause 100", "30x100", "pause 100", "30x100"]);
  });

  it("writes only the latest of the sizes that arrive meanwhile; a lone resize once", async () => {
    const { q, log } = queue();
    q.push({ width: 80, height: 24 });
    await q.idle();
    assert.deepEqual(log, ["24x80", "pause 100"]);
    log.length = 0;
    q.push({ width: 90, height: 25 });
    q.push({ width: 91, height: 26 });
    q.push({ width: 92, height: 27 });
    await q.idle();
    assert.deepEqual(log, ["25x90", "pause 100", "27x92", "pause 100", "27x92"]);
    log.length = 0;
    q.push({ width: 92, height: 27 });
    await q.idle();
    assert.deepEqual(log, [], "the terminal already has that size");
  });
});
