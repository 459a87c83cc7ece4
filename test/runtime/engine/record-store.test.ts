import assert from "node:assert/strict";
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { RecordStore } from "../../../src/runtime/engine/record-store.js";
import type { ContainerRecord, SandboxRecord } from "../../../src/runtime/engine/records.js";
import { tempDir } from "../../support/tmp.js";

describe("engine record store", () => {
  const dir = tempDir("records");
  after(() => dir.remove());

  const container: ContainerRecord = {
    id: "c1",
    podSandboxId: "s1",
    config: { metadata: { name: "app", attempt: 2 }, image: { image: "nginx" } },
    imageId: `sha256:${"a".repeat(64)}`,
    imageRef: `docker.io/library/nginx@sha256:${"b".repeat(64)}`,
    logPath: "/var/log/pods/x/app/2.log",
    // Beyond 2^53: must survive the round trip exactly.
    createdAt: 1_795_000_000_123_456_789n,
    startedAt: 1_795_000_001_000_000_001n,
    finishedAt: 0n,
  };

  it("round-trips records with exact nanosecond times", async () => {
    const store = new RecordStore<ContainerRecord>(join(dir.path, "containers"));
    await store.put(container);
    assert.deepEqual(await store.get("c1"), container);
    await store.put({ ...container, finishedAt: 1_795_000_002_000_000_000n });
    assert.equal((await store.get("c1"))?.finishedAt, 1_795_000_002_000_000_000n);
    await store.delete("c1");
    await store.delete("c1");
    assert.equal(await store.get("c1"), undefined);
  });

  it("lists readable records, sets broken ones apart, and ignores temp files", async () => {
    const path = join(dir.path, "sandboxes");
    const store = new RecordStore<SandboxRecord>(path);
    const sandbox: SandboxRecord = {
      id: "s1",
      config: { metadata: { name: "p", uid: "u", namespace: "default" } },
      createdAt: 5n,
      ip: "10.42.0.5",
    };
    await store.put(sandbox);
    writeFileSync(join(path, "s2.json"), '{"id": "s2", "createdAt": 12');
    writeFileSync(join(path, "s3.json"), '{"id": "s3", "createdAt": "soon"}');
    writeFileSync(join(path, ".tmp-1-abc"), "half");
    const { records, broken } = await store.list();
    assert.deepEqual(records, [sandbox]);
    assert.deepEqual(
      broken.map((b) => b.file),
      ["s2.json", "s3.json"],
    );
    assert.match(broken[1]?.error ?? "", /createdAt is not a decimal ns timestamp/);
  });

  it("answers an empty list for a directory not created yet and refuses path-like ids", async () => {
    const store = new RecordStore<SandboxRecord>(join(dir.path, "never"));
    assert.deepEqual(await store.list(), { records: [], broken: [] });
    await assert.rejects(store.get("../etc/passwd"), /invalid record id/);
  });

  it("reuses a listing while the directory is unchanged, and sees another writer's changes", async () => {
    const path = join(dir.path, "cached");
    const mine = new RecordStore<ContainerRecord>(path);
    const other = new RecordStore<ContainerRecord>(path); // another process on the same state dir
    await mine.put(container);
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past); // older than the racy window: the listing may be kept
    const first = await mine.list();
    assert.deepEqual(
      first.records.map((r) => r.id),
      ["c1"],
    );
    assert.throws(() => {
      (first.records[0] as ContainerRecord).finishedAt = 1n;
    }, TypeError);
    // Rewritten behind its back with the directory's mtime put back: the kept listing answers.
    writeFileSync(join(path, "c1.json"), "{}");
    utimesSync(path, past, past);
    assert.equal((await mine.list()).records[0]?.imageRef, container.imageRef);
    // A put by another store renames into the directory: its mtime moves and the listing is re-read.
    await other.put({ ...container, id: "c2" });
    const second = await mine.list();
    assert.deepEqual(
      second.records.map((r) => r.id),
      ["c2"],
    );
    assert.deepEqual(
      second.broken.map((b) => b.file),
      ["c1.json"],
    );
  });
});
