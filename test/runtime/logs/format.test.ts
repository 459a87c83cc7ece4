import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatLogLine,
  formatTimestamp,
  LogFormatError,
  parseLogLine,
  parseTimestamp,
} from "../../../src/runtime/logs/format.js";

const T = 1475713029669794202n; // 2016-10-06T00:17:09.669794202Z

describe("log timestamps", () => {
  const table: [string, bigint][] = [
    ["2016-10-06T00:17:09.669794202Z", T],
    ["2016-10-06T00:17:09.6697942Z", T - 2n],
    ["2016-10-06T00:17:09Z", T - 669794202n],
    ["2016-10-06T02:17:09.669794202+02:00", T],
    ["2016-10-05T19:17:09.669794202-05:00", T],
    ["1970-01-01T00:00:00.000000001Z", 1n],
  ];
  for (const [text, ns] of table) {
    it(`parses ${text}`, () => assert.equal(parseTimestamp(text), ns));
  }

  it("formats with nine fraction digits in UTC", () => {
    assert.equal(formatTimestamp(T), "2016-10-06T00:17:09.669794202Z");
    assert.equal(formatTimestamp(T - 669794202n), "2016-10-06T00:17:09.000000000Z");
  });

  for (const bad of [
    "2016-10-06",
    "2016-10-06 00:17:09Z",
    "2016-10-06T00:17:09.1234567890Z",
    "yesterday",
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseTimestamp(bad), LogFormatError));
  }
});

describe("log lines", () => {
  it("writes the CRI format", () => {
    const line = formatLogLine({
      timestamp: T,
      stream: "stdout",
      tag: "F",
      content: Buffer.from("log content"),
    });
    assert.equal(line.toString(), "2016-10-06T00:17:09.669794202Z stdout F log content\n");
  });

  const table: [string, string, { stream: string; partial: boolean; log: string }][] = [
    [
      "a full line keeps its newline",
      "2016-10-06T00:17:09.669794202Z stdout F log content 1\n",
      { stream: "stdout", partial: false, log: "log content 1\n" },
    ],
    [
      "a partial line loses its newline",
      "2016-10-06T00:17:09.669794203Z stderr P log content 2\n",
      { stream: "stderr", partial: true, log: "log content 2" },
    ],
    [
      "an empty line is just a newline",
      "2016-10-06T00:17:09.669794202Z stdout F \n",
      { stream: "stdout", partial: false, log: "\n" },
    ],
    [
      "extra tags are ignored",
      "2016-10-06T00:17:09.669794202Z stdout F:x:y hi\n",
      { stream: "stdout", partial: false, log: "hi\n" },
    ],
    [
      "spaces in the content are kept",
      "2016-10-06T00:17:09.669794202Z stdout F  a  b \n",
      { stream: "stdout", partial: false, log: " a  b \n" },
    ],
  ];
  for (const [name, text, want] of table) {
    it(name, () => {
      const msg = parseLogLine(Buffer.from(text));
      assert.deepEqual({ stream: msg.stream, partial: msg.partial, log: msg.log.toString() }, want);
    });
  }

  it("round-trips a record", () => {
    const content = Buffer.from([0xe2, 0x9c, 0x93, 0x20, 0x00, 0xff]);
    const line = formatLogLine({ timestamp: T, stream: "stderr", tag: "F", content });
    const msg = parseLogLine(line);
    assert.equal(msg.timestamp, T);
    assert.equal(msg.stream, "stderr");
    assert.deepEqual(msg.log, Buffer.concat([content, Buffer.from("\n")]));
  });

  const bad: [string, string][] = [
    ["no timestamp", "garbage"],
    ["a bad timestamp", "2016-10-06 stdout F x\n"],
    ["an unknown stream", "2016-10-06T00:17:09Z stdin F x\n"],
    ["no tag", "2016-10-06T00:17:09Z stdout\n"],
  ];
  for (const [name, text] of bad) {
    it(`rejects a line with ${name}`, () =>
      assert.throws(() => parseLogLine(Buffer.from(text)), LogFormatError));
  }
});
