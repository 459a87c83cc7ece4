import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTimestamp } from "../../../src/runtime/logs/format.js";
import { type LogOptions, selectLogs, tailStart } from "../../../src/runtime/logs/reader.js";

const file = Buffer.from(
  [
    "2016-10-06T00:17:09.000000001Z stdout F line one",
    "2016-10-06T00:17:10.000000002Z stderr F line two",
    "2016-10-06T00:17:11.000000003Z stdout P long ",
    "2016-10-06T00:17:11.000000004Z stdout F line three",
    "not a log line",
    "2016-10-06T00:17:12.000000005Z stdout F line four",
    "",
  ].join("\n"),
);

const show = (options: LogOptions) =>
  selectLogs(file, options)
    .map((o) => `${o.stream === "stderr" ? "!" : ""}${o.data.toString()}`)
    .join("");

describe("kubectl logs selection", () => {
  const table: [string, LogOptions, string][] = [
    ["everything by default", {}, "line one\n!line two\nlong line three\nline four\n"],
    ["the last line with tail 1", { tail: 1 }, "line four\n"],
    ["nothing with tail 0", { tail: 0 }, ""],
    [
      "tail counts the partial part and bad lines as file lines",
      { tail: 3 },
      "line three\nline four\n",
    ],
    [
      "more tail than lines gives everything",
      { tail: 100 },
      "line one\n!line two\nlong line three\nline four\n",
    ],
    [
      "since skips older records",
      { since: parseTimestamp("2016-10-06T00:17:10.000000002Z") },
      "!line two\nlong line three\nline four\n",
    ],
    ["since after the end gives nothing", { since: parseTimestamp("2020-01-01T00:00:00Z") }, ""],
    [
      "timestamps prefix every record, partial ones too",
      { timestamps: true, tail: 3 },
      "2016-10-06T00:17:11.000000004Z line three\n2016-10-06T00:17:12.000000005Z line four\n",
    ],
    ["limitBytes cuts the output short", { limitBytes: 12 }, "line one\n!lin"],
    ["limitBytes 0 gives nothing", { limitBytes: 0 }, ""],
    [
      "limitBytes counts the timestamp prefix",
      { timestamps: true, limitBytes: 10, tail: 1 },
      "2016-10-06",
    ],
    [
      "tail and since combine",
      { tail: 2, since: parseTimestamp("2016-10-06T00:17:12Z") },
      "line four\n",
    ],
  ];
  for (const [name, options, want] of table) {
    it(`shows ${name}`, () => assert.equal(show(options), want));
  }

  it("shows a last line without newline when not following", () => {
    const partial = Buffer.from("2016-10-06T00:17:09Z stdout F a\n2016-10-06T00:17:09Z stdout P b");
    assert.deepEqual(
      selectLogs(partial).map((o) => o.data.toString()),
      ["a\n", "b"],
    );
  });
});

describe("tail start", () => {
  const data = Buffer.from("a\nb\nc\n");
  const table: [number, number][] = [
    [-1, 0],
    [0, 6],
    [1, 4],
    [2, 2],
    [3, 0],
    [4, 0],
  ];
  for (const [n, want] of table) {
    it(`finds the last ${n} lines at offset ${want}`, () => assert.equal(tailStart(data, n), want));
  }

  it("does not count a trailing line without newline", () => {
    assert.equal(tailStart(Buffer.from("a\nb\nc"), 1), 2);
  });
});
