import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goQuote } from "../../../src/kubelet/fieldpath/index.js";

describe("goQuote (Go's strconv.Quote)", () => {
  const cases: [string, string, string][] = [
    ["plain text", "plain", '"plain"'],
    ["quote and backslash", 'a"b\\c', '"a\\"b\\\\c"'],
    ["named control escapes", "\t\n\r\x07\b\f\v", '"\\t\\n\\r\\a\\b\\f\\v"'],
    ["other ASCII controls and DEL as \\x", "\x00\x01\x1f\x7f", '"\\x00\\x01\\x1f\\x7f"'],
    ["C1 controls as \\u", "\u0085", '"\\u0085"'],
    ["printable non-ASCII and the ASCII space", "héllo ✓ üñ日本", '"héllo ✓ üñ日本"'],
    ["punctuation and symbols", "<&>", '"<&>"'],
    [
      "non-ASCII spaces and format characters",
      "nb\u00a0sp zw\u200bsp",
      '"nb\\u00a0sp zw\\u200bsp"',
    ],
    ["a printable astral character", "emoji 😀", '"emoji 😀"'],
    ["an unprintable astral character as \\U", "\u{e0001}", '"\\U000e0001"'],
    ["a lone surrogate as U+FFFD", "a\ud800b", '"a\ufffdb"'],
    ["empty", "", '""'],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.equal(goQuote(input), want));
});
