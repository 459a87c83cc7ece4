import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DATA_DIR_NAME, writeAtomically } from "../../../src/kubelet/volumes/atomic-writer.js";
import type { Payload } from "../../../src/kubelet/volumes/payload.js";
import { tempDir } from "../../support/tmp.js";

function payload(files: Record<string, string | [string, number]>): Payload {
  return new Map(
    Object.entries(files).map(([path, v]) => {
      const [text, mode] = typeof v === "string" ? [v, 0o644] : v;
      return [path, { data: new Uint8Array(Buffer.from(text)), mode }];
    }),
  );
}

function timestampDirs(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^\.\.\d{4}_/.test(n));
}

describe("the atomic writer", () => {
  let tmp: ReturnType<typeof tempDir>;
  let dir: string;
  beforeEach(() => {
    tmp = tempDir("atomic");
    dir = join(tmp.path, "vol");
    mkdirSync(dir);
  });
  afterEach(() => tmp.remove());

  it("publishes files in a timestamped directory behind the ..data link, with top-level links into it", async () => {
    const wrote = await writeAtomically(
      dir,
      payload({ "app.yaml": "port: 80", "conf/db.yaml": ["host: db", 0o600] }),
      { now: () => new Date(Date.UTC(2024, 4, 1, 12, 3, 4)) },
    );
    assert.equal(wrote, true);
    const ts = readlinkSync(join(dir, DATA_DIR_NAME));
    assert.match(ts, /^\.\.2024_05_01_12_03_04\./);
    assert.equal(statSync(join(dir, ts)).mode & 0o777, 0o755);
    assert.equal(readlinkSync(join(dir, "app.yaml")), "..data/app.yaml");
    assert.equal(readlinkSync(join(dir, "conf")), "..data/conf");
    assert.equal(readFileSync(join(dir, "app.yaml"), "utf8"), "port: 80");
    assert.equal(readFileSync(join(dir, "conf/db.yaml"), "utf8"), "host: db");
    assert.equal(statSync(join(dir, "app.yaml")).mode & 0o777, 0o644);
    assert.equal(statSync(join(dir, "conf/db.yaml")).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ["..data", ts, "app.yaml", "conf"].sort());
  });

  it("sets modes exactly whatever the umask", async () => {
    const old = process.umask(0o077);
    try {
      await writeAtomically(dir, payload({ a: ["x", 0o644] }));
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(join(dir, "a")).mode & 0o777, 0o644);
  });

  it("leaves everything as it is when the payload is unchanged", async () => {
    await writeAtomically(dir, payload({ a: "1", b: "2" }));
    const ts = readlinkSync(join(dir, DATA_DIR_NAME));
    assert.equal(await writeAtomically(dir, payload({ a: "1", b: "2" })), false);
    assert.equal(readlinkSync(join(dir, DATA_DIR_NAME)), ts);
    assert.deepEqual(timestampDirs(dir), [ts]);
  });

  it("swaps ..data to a new directory on change and removes the old one", async () => {
    await writeAtomically(dir, payload({ a: "1", b: "2" }));
    const before = readlinkSync(join(dir, DATA_DIR_NAME));
    const linkInode = lstatSync(join(dir, "a")).ino;
    assert.equal(await writeAtomically(dir, payload({ a: "one", b: "2" })), true);
    const after = readlinkSync(join(dir, DATA_DIR_NAME));
    assert.notEqual(after, before);
    assert.equal(existsSync(join(dir, before)), false);
    assert.deepEqual(timestampDirs(dir), [after]);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "one");
    assert.equal(
      lstatSync(join(dir, "a")).ino,
      linkInode,
      "the user-visible link itself is untouched",
    );
  });

  it("removes the links of keys the new payload dropped", async () => {
    await writeAtomically(dir, payload({ a: "1", "d/x": "2", "d/y": "3" }));
    await writeAtomically(dir, payload({ "d/x": "2" }));
    assert.equal(existsSync(join(dir, "a")), false);
    assert.equal(lstatSync(join(dir, "d")).isSymbolicLink(), true);
    assert.equal(existsSync(join(dir, "d/y")), false);
    assert.equal(readFileSync(join(dir, "d/x"), "utf8"), "2");
  });

  it("publishes an empty payload as an empty ..data directory", async () => {
    await writeAtomically(dir, payload({ a: "1" }));
    await writeAtomically(dir, payload({}));
    assert.deepEqual(readdirSync(join(dir, DATA_DIR_NAME)), []);
    assert.equal(existsSync(join(dir, "a")), false);
  });

  it("refuses an invalid path before touching the disk", async () => {
    await assert.rejects(
      writeAtomically(dir, payload({ ok: "1", "../escape": "x" })),
      /must not contain '\.\.'/,
    );
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(existsSync(join(tmp.path, "escape")), false);
  });

  it("keeps the published version when a write fails, and removes the half-written directory", async () => {
    await writeAtomically(dir, payload({ a: "1" }));
    const ts = readlinkSync(join(dir, DATA_DIR_NAME));
    await assert.rejects(
      writeAtomically(dir, payload({ a: "2" }), {
        setPerms: async () => {
          throw new Error("chown failed");
        },
      }),
      /chown failed/,
    );
    assert.equal(readlinkSync(join(dir, DATA_DIR_NAME)), ts);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "1");
    assert.deepEqual(timestampDirs(dir), [ts]);
  });

  it("cleans up leftovers of an interrupted write", async () => {
    mkdirSync(join(dir, "..2020_01_01_00_00_00.123456"));
    writeFileSync(join(dir, "..2020_01_01_00_00_00.123456", "a"), "stale");
    await writeAtomically(dir, payload({ a: "1" }));
    assert.deepEqual(timestampDirs(dir), [readlinkSync(join(dir, DATA_DIR_NAME))]);
  });

  it("gives readers either the old or the new contents while refreshing", async () => {
    const v1 = "a".repeat(4096);
    const v2 = "b".repeat(4096);
    await writeAtomically(dir, payload({ "x/f": v1, "x/g": v1 }));
    let stop = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!stop) {
        try {
          const data = readlinkSync(join(dir, DATA_DIR_NAME));
          const f = readFileSync(join(dir, data, "x/f"), "utf8");
          const g = readFileSync(join(dir, data, "x/g"), "utf8");
          seen.add(`${f[0]}${g[0]}`);
        } catch {
          // the old directory vanished between readlink and read: retry
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 20; i++)
      await writeAtomically(dir, payload({ "x/f": i % 2 ? v1 : v2, "x/g": i % 2 ? v1 : v2 }));
    stop = true;
    await reader;
    for (const s of seen) assert.ok(s === "aa" || s === "bb", `mixed versions seen: ${s}`);
  });
});
