import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

interface Ack {
  key: string;
  rev: number;
  seq: number;
}

/** Runs the writer until it has acknowledged `acks` writes, then SIGKILLs it. */
async function runAndKill(path: string, round: number, acks: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, path, String(round)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  const seen: Ack[] = [];
  const lines = createInterface({ input: child.stdout });
  try {
    for await (const line of lines) {
      seen.push(JSON.parse(line) as Ack);
      if (seen.length === acks) {
        child.kill("SIGKILL");
        break;
      }
    }
  } finally {
    child.kill("SIGKILL");
  }
  const signal = await exited;
  assert.equal(signal, "SIGKILL", `writer died on its own: ${stderr}`);
  return seen;
}

describe("sqlite store crash safety", () => {
  const dir = tempDir("crash");
  after(() => dir.remove());

  it("keeps every acknowledged write and no torn entry across SIGKILLs", async () => {
    const path = join(dir.path, "state.db");
    const acked: Ack[] = [];
    for (let round = 0; round < 3; round++) {
      acked.push(...(await runAndKill(path, round, 400 + round * 300)));
      const store = new SqliteStore({ path, compactionIntervalMs: 0 });
      try {
        const maxAcked = Math.max(...acked.map((a) => a.rev));
        const current = await store.currentRevision();
        assert.ok(current >= maxAcked, `revision went back: ${current} < ${maxAcked}`);
        for (const ack of acked) {
          const kv = await store.get(ack.key, { atRevision: ack.rev });
          assert.ok(kv, `acknowledged write lost: ${ack.key}@${ack.rev}`);
          assert.equal(kv.modRevision, ack.rev);
          const body = JSON.parse(new TextDecoder().decode(kv.value));
          assert.equal(body.key, ack.key);
          assert.equal(body.seq, ack.seq);
        }
        // Every stored value, acknowledged or not, is whole.
        const all = await store.list("/crash/");
        for (const kv of all.items) {
          const body = JSON.parse(new TextDecoder().decode(kv.value));
          assert.equal(body.key, kv.key);
          assert.equal(body.pad.length, body.len);
        }
        const next = await store.create(`/after-crash/${round}`, new Uint8Array([1]));
        assert.ok(next.modRevision > current, "revisions continue after the last one");
      } finally {
        await store.close();
      }
    }
  });
});
