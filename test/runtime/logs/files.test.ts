import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  CriLogFile,
  readLogs,
  rotateLogFile,
  systemClock,
} from "../../../src/runtime/logs/files.js";
import type { LogOutput, ReadLogsOptions } from "../../../src/runtime/logs/index.js";
import { tempDir } from "../../support/tmp.js";

const tmp = tempDir("logs");
after(() => tmp.remove());

async function collect(path: string, options: ReadLogsOptions = {}): Promise<string> {
  let out = "";
  for await (const o of readLogs(path, options)) out += render(o);
  return out;
}
const render = (o: LogOutput) => `${o.stream === "stderr" ? "!" : ""}${o.data.toString()}`;

function fakeClock(): () => bigint {
  let t = 1475713029000000000n;
  return () => (t += 1_000_000_000n);
}

describe("CRI log files", () => {
  it("writes both streams as CRI lines and reads them back", async () => {
    const path = join(tmp.path, "pod", "c", "0.log");
    const log = await CriLogFile.open(path, { now: fakeClock(), maxLineBytes: 4 });
    await log.write("stdout", Buffer.from("hi\n"));
    await log.write("stderr", Buffer.from("oops\nmore"));
    await log.endStream("stderr");
    await log.close();
    assert.equal(
      readFileSync(path, "utf8"),
      [
        "2016-10-06T00:17:10.000000000Z stdout F hi",
        "2016-10-06T00:17:11.000000000Z stderr F oops",
        "2016-10-06T00:17:12.000000000Z stderr P more",
        "",
      ].join("\n"),
    );
    assert.equal(await collect(path), "hi\n!oops\n!more");
    assert.equal(
      await collect(path, { tail: 1, timestamps: true }),
      "!2016-10-06T00:17:12.000000000Z more",
    );
  });

  it("reads the tail of a file larger than one read block", async () => {
    const path = join(tmp.path, "big.log");
    const line = (i: number) =>
      `2016-10-06T00:17:09.000000000Z stdout F ${String(i).padStart(100, "0")}\n`;
    writeFileSync(path, Array.from({ length: 2000 }, (_, i) => line(i)).join(""));
    const out = await collect(path, { tail: 2 });
    assert.equal(out, `${String(1998).padStart(100, "0")}\n${String(1999).padStart(100, "0")}\n`);
  });

  it("follows a growing log until the container stops", async () => {
    const path = join(tmp.path, "follow.log");
    const log = await CriLogFile.open(path, { now: fakeClock() });
    await log.write("stdout", Buffer.from("first\n"));
    let running = true;
    const reading = collect(path, {
      follow: true,
      pollIntervalMs: 5,
      isRunning: async () => running,
    });
    await new Promise((r) => setTimeout(r, 30));
    await log.write("stdout", Buffer.from("second\n"));
    await new Promise((r) => setTimeout(r, 30));
    await log.write("stdout", Buffer.from("last\n"));
    running = false;
    await log.close();
    assert.equal(await reading, "first\nsecond\nlast\n");
  });

  it("keeps following across a rotation", async () => {
    const path = join(tmp.path, "rotating.log");
    const log = await CriLogFile.open(path, { now: fakeClock() });
    await log.write("stdout", Buffer.from("old\n"));
    let running = true;
    const reading = collect(path, {
      follow: true,
      pollIntervalMs: 5,
      isRunning: async () => running,
    });
    await new Promise((r) => setTimeout(r, 30));
    renameSync(path, `${path}.20231130-101010`);
    await log.reopen();
    await log.write("stdout", Buffer.from("new\n"));
    await new Promise((r) => setTimeout(r, 30));
    running = false;
    await log.close();
    assert.equal(await reading, "old\nnew\n");
  });

  it("stops following when aborted", async () => {
    const path = join(tmp.path, "abort.log");
    writeFileSync(path, "2016-10-06T00:17:09Z stdout F x\n");
    const controller = new AbortController();
    const reading = collect(path, { follow: true, pollIntervalMs: 5, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    assert.equal(await reading, "x\n");
  });

  it("gives timestamps from the wall clock", () => {
    const ns = systemClock();
    const ms = Number(ns / 1_000_000n);
    assert.ok(Math.abs(ms - Date.now()) < 1000);
  });
});

describe("rotating log files", () => {
  it("rotates, compresses older logs and asks the runtime to reopen", async () => {
    const dir = join(tmp.path, "rot");
    const path = join(dir, "0.log");
    const log = await CriLogFile.open(path, { now: fakeClock() });
    await log.write("stdout", Buffer.from(`${"a".repeat(100)}\n`));
    const policy = { maxSize: 50, maxFiles: 3 };
    const first = new Date(2023, 10, 30, 10, 0, 0);
    assert.equal(
      await rotateLogFile(path, { policy, now: first, reopen: () => log.reopen() }),
      true,
    );
    await log.write("stdout", Buffer.from(`${"b".repeat(100)}\n`));
    const second = new Date(2023, 10, 30, 11, 0, 0);
    assert.equal(
      await rotateLogFile(path, { policy, now: second, reopen: () => log.reopen() }),
      true,
    );
    await log.write("stdout", Buffer.from("c\n"));
    await log.close();
    assert.deepEqual(readdirSync(dir).sort(), [
      "0.log",
      "0.log.20231130-100000.gz",
      "0.log.20231130-110000",
    ]);
    const gz = gunzipSync(readFileSync(join(dir, "0.log.20231130-100000.gz"))).toString();
    assert.match(gz, / stdout F a{100}\n$/);
    assert.match(readFileSync(path, "utf8"), / stdout F c\n$/);
    assert.equal(await rotateLogFile(path, { policy, reopen: () => log.reopen() }), false);
  });

  it("renames the log back when the runtime cannot reopen it", async () => {
    const dir = join(tmp.path, "rot-fail");
    const path = join(dir, "0.log");
    const log = await CriLogFile.open(path);
    await log.write("stdout", Buffer.from(`${"a".repeat(100)}\n`));
    await log.close();
    await assert.rejects(
      rotateLogFile(path, {
        policy: { maxSize: 10, maxFiles: 5 },
        reopen: async () => {
          throw new Error("container gone");
        },
      }),
      /container gone/,
    );
    assert.ok(existsSync(path));
    assert.deepEqual(readdirSync(dir), ["0.log"]);
  });
});
