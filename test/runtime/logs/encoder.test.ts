import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CriLogEncoder } from "../../../src/runtime/logs/encoder.js";

/** A clock that ticks one nanosecond per record. */
function fakeClock(start = 1_000_000_000n): () => bigint {
  let t = start;
  return () => t++;
}

const summary = (records: { tag: string; content: Uint8Array }[]) =>
  records.map((r) => `${r.tag}:${Buffer.from(r.content).toString()}`);

describe("CRI log encoding", () => {
  const table: [string, string[], number, string[]][] = [
    ["one line per record", ["a\nb\n"], 8, ["F:a", "F:b"]],
    ["lines split across writes join up", ["hel", "lo\nwor", "ld\n"], 8, ["F:hello", "F:world"]],
    ["a carriage return before the newline is dropped", ["tty line\r\n"], 16, ["F:tty line"]],
    ["an empty line is an empty full record", ["\n"], 8, ["F:"]],
    ["a line of exactly the maximum is one full record", ["12345678\n"], 8, ["F:12345678"]],
    ["a longer line is cut into partial records", ["123456789\n"], 8, ["P:12345678", "F:9"]],
    [
      "twice the maximum is one partial and one full record",
      ["1234567812345678\n"],
      8,
      ["P:12345678", "F:12345678"],
    ],
    [
      "a long line is cut as it arrives",
      ["1234", "56789", "abcdefghij"],
      8,
      ["P:12345678", "P:9abcdefg"],
    ],
    ["zero maximum means no limit", ["1234567890\n"], 0, ["F:1234567890"]],
  ];
  for (const [name, writes, max, want] of table) {
    it(name, () => {
      const enc = new CriLogEncoder({ stream: "stdout", maxLineBytes: max, now: fakeClock() });
      assert.deepEqual(summary(writes.flatMap((w) => enc.records(Buffer.from(w)))), want);
    });
  }

  it("flushes output without a newline as a partial record at the end", () => {
    const enc = new CriLogEncoder({ stream: "stderr", now: fakeClock() });
    assert.deepEqual(enc.records(Buffer.from("done\nno newline")).length, 1);
    assert.deepEqual(summary(enc.end()), ["P:no newline"]);
    assert.deepEqual(enc.end(), []);
  });

  it("splits at 16 KiB by default", () => {
    const enc = new CriLogEncoder({ stream: "stdout", now: fakeClock() });
    const records = enc.records(Buffer.from(`${"x".repeat(16384 + 10)}\n`));
    assert.deepEqual(
      records.map((r) => [r.tag, r.content.length]),
      [
        ["P", 16384],
        ["F", 10],
      ],
    );
  });

  it("encodes records as lines with the stream and timestamps", () => {
    const enc = new CriLogEncoder({ stream: "stdout", now: fakeClock(1475713029669794202n) });
    assert.equal(
      enc.encode(Buffer.from("hello\n")).toString(),
      "2016-10-06T00:17:09.669794202Z stdout F hello\n",
    );
  });
});
