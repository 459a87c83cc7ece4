// A write load for the crash test: runs until killed, printing one JSON line
// per acknowledged write. Usage: crash-writer.ts DB_PATH ROUND
import { SqliteStore } from "../../../src/storage/sqlite/store.js";

const [path, round] = process.argv.slice(2);
if (!path || !round) throw new Error("usage: crash-writer.ts DB_PATH ROUND");
const store = new SqliteStore({ path, compactionIntervalMs: 0 });
const enc = new TextEncoder();

function payload(key: string, seq: number): string {
  const pad = "x".repeat((seq * 7919) % 20000);
  return JSON.stringify({ key, seq, pad, len: pad.length });
}

async function writer(lane: number): Promise<never> {
  for (let i = 0; ; i++) {
    const key = `/crash/r${round}/l${lane}/k${i}`;
    let kv = await store.create(key, enc.encode(payload(key, 0)));
    process.stdout.write(`${JSON.stringify({ key, rev: kv.modRevision, seq: 0 })}\n`);
    for (let seq = 1; seq <= i % 3; seq++) {
      kv = await store.update(key, enc.encode(payload(key, seq)), kv.modRevision);
      process.stdout.write(`${JSON.stringify({ key, rev: kv.modRevision, seq })}\n`);
    }
  }
}

// Eight writers at once, so batches of several writes share a commit.
await Promise.all(Array.from({ length: 8 }, (_, lane) => writer(lane)));
