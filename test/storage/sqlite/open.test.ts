import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { StoreUnavailableError, ValueTooLargeError } from "../../../src/storage/errors.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";

describe("sqlite store files", () => {
  const dir = tempDir("sqlite-open");
  after(() => dir.remove());
  const enc = (s: string) => new TextEncoder().encode(s);

  it("refuses a file that is not a SQLite database and leaves it untouched", () => {
    const path = join(dir.path, "garbage.db");
    const junk = Buffer.alloc(8192, 0x41);
    writeFileSync(path, junk);
    assert.throws(
      () => new SqliteStore({ path, compactionIntervalMs: 0 }),
      (err: unknown) =>
        err instanceof StoreUnavailableError && /not a SQLite database/.test(err.message),
    );
  });

  it("refuses a SQLite database that another program created", () => {
    const path = join(dir.path, "foreign.db");
    const other = new Database(path);
    other.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)");
    other.close();
    assert.throws(
      () => new SqliteStore({ path, compactionIntervalMs: 0 }),
      (err: unknown) => err instanceof StoreUnavailableError && /did not create/.test(err.message),
    );
  });

  it("refuses a database with a corrupt page", async () => {
    const path = join(dir.path, "corrupt.db");
    const store = new SqliteStore({ path, compactionIntervalMs: 0 });
    for (let i = 0; i < 200; i++) await store.create(`/k/${i}`, enc("v".repeat(2000)));
    await store.close();
    // Overwrite a page in the middle of the file (index and table pages live there).
    const db = Buffer.from(await import("node:fs").then((fs) => fs.readFileSync(path)));
    db.fill(0xff, 4096 * 3, 4096 * 3 + 4096);
    writeFileSync(path, db);
    assert.throws(() => new SqliteStore({ path, compactionIntervalMs: 0 }), StoreUnavailableError);
  });

  it("reopens with its data and revision", async () => {
    const path = join(dir.path, "reopen.db");
    const a = new SqliteStore({ path, compactionIntervalMs: 0 });
    await a.create("/x", enc("1"));
    const kv = await a.create("/y", enc("2"));
    await a.close();
    const b = new SqliteStore({ path, compactionIntervalMs: 0 });
    try {
      assert.equal(await b.currentRevision(), kv.modRevision);
      assert.equal(new TextDecoder().decode((await b.get("/y"))?.value), "2");
    } finally {
      await b.close();
    }
  });

  it("lets only one process-level owner open the file at a time", async () => {
    const path = join(dir.path, "locked.db");
    const a = new SqliteStore({ path, compactionIntervalMs: 0 });
    await a.create("/x", enc("1"));
    try {
      assert.throws(
        () => new SqliteStore({ path, compactionIntervalMs: 0 }),
        (err: unknown) => err instanceof StoreUnavailableError && /locked/.test(err.message),
      );
    } finally {
      await a.close();
    }
  });

  it("honours a smaller configured value limit", async () => {
    const path = join(dir.path, "limit.db");
    const s = new SqliteStore({ path, compactionIntervalMs: 0, maxValueBytes: 10 });
    try {
      await assert.rejects(s.create("/x", enc("01234567890")), ValueTooLargeError);
      await s.create("/x", enc("0123456789"));
    } finally {
      await s.close();
    }
  });

  it("compacts automatically, keeping the configured window", async () => {
    const path = join(dir.path, "auto.db");
    const s = new SqliteStore({
      path,
      compactionIntervalMs: 20,
      retention: { minAgeMs: 0, minRevisions: 10 },
    });
    try {
      let kv = await s.create("/auto", enc("0"));
      for (let i = 1; i < 50; i++) kv = await s.update("/auto", enc(String(i)), kv.modRevision);
      const first = kv.createRevision;
      await new Promise((r) => setTimeout(r, 100));
      await assert.rejects(s.get("/auto", { atRevision: first }), /compacted/);
      const recent = await s.get("/auto", { atRevision: kv.modRevision - 5 });
      assert.equal(new TextDecoder().decode(recent?.value), "44");
    } finally {
      await s.close();
    }
  });

  it("reports a quiet watch as caught up to the current revision", async () => {
    const path = join(dir.path, "progress.db");
    const s = new SqliteStore({ path, compactionIntervalMs: 0 });
    try {
      const w = await s.watch("/quiet/");
      const other = await s.create("/busy/a", enc("1"));
      assert.equal(w.progress?.(), other.modRevision, "nothing pending for /quiet/: caught up");
      await s.create("/quiet/a", enc("1"));
      assert.equal(w.progress?.(), undefined, "an undelivered event: not caught up");
      w.close();
    } finally {
      await s.close();
    }
  });

  it("after close, operations fail and watches end with an error", async () => {
    const path = join(dir.path, "closed.db");
    const s = new SqliteStore({ path, compactionIntervalMs: 0 });
    const w = await s.watch("/");
    const pending = s.create("/queued", enc("1"));
    await s.close();
    assert.equal((await pending).version, 1, "writes queued before close still commit");
    await assert.rejects(s.get("/queued"), StoreUnavailableError);
    await assert.rejects(
      (async () => {
        for await (const _ of w) {
          // drain
        }
      })(),
      StoreUnavailableError,
    );
  });
});
