import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  canonicalizeQuantity,
  FORMAT_WRONG,
  parseQuantity,
  parseQuantityJSON,
  Quantity,
  QuantityParseError,
  SUFFIX_WRONG,
} from "../../../src/machinery/quantity/index.js";

/** mantissa × 10^exponent in a format, as upstream's decQuantity test helper. */
const dec = (m: number | bigint, e: number, format: Quantity["format"] = "DecimalSI"): Quantity =>
  new Quantity(BigInt(m), e, format);

describe("quantity parsing", () => {
  const table: [string, Quantity][] = [
    ["0", dec(0, 0)],
    ["0n", dec(0, 0)],
    ["0Ki", dec(0, 0, "BinarySI")],
    ["0M", dec(0, 0)],
    ["1", dec(1, 0)],
    ["1Ki", dec(1024, 0, "BinarySI")],
    ["8Ki", dec(8 * 1024, 0, "BinarySI")],
    ["7Mi", dec(7 * 1024 * 1024, 0, "BinarySI")],
    ["6Gi", dec(6 * 1024 ** 3, 0, "BinarySI")],
    ["5Ti", dec(5 * 1024 ** 4, 0, "BinarySI")],
    ["4Pi", dec(4n * 1024n ** 5n, 0, "BinarySI")],
    ["3Ei", dec(3n * 1024n ** 6n, 0, "BinarySI")],
    ["5n", dec(5, -9)],
    ["4u", dec(4, -6)],
    ["3m", dec(3, -3)],
    ["8k", dec(8, 3)],
    ["50k", dec(5, 4)],
    ["7M", dec(7, 6)],
    ["6G", dec(6, 9)],
    ["40T", dec(4, 13)],
    ["2P", dec(2, 15)],
    ["1E", dec(1, 18)],
    ["1E-3", dec(1, -3, "DecimalExponent")],
    ["1e3", dec(1, 3, "DecimalExponent")],
    ["1e14", dec(1, 14, "DecimalExponent")],
    ["100.035k", dec(100035, 0)],
    ["0.001", dec(1, -3)],
    ["0.0005k", dec(5, -1)],
    ["0.5", dec(5, -1)],
    ["0.50000", dec(5, -1)],
    ["0.5e-2", dec(5, -3, "DecimalExponent")],
    ["10.035M", dec(10035, 3)],
    ["1.3E+6", dec(13, 5, "DecimalExponent")],
    ["1.7E18", dec(17, 17, "DecimalExponent")],
    ["9.01", dec(901, -2)],
    ["6.987654321G", dec(6987654321, 0)],
    ["1.01E", dec(101, 16)],
    ["3.001n", dec(4, -9)],
    ["1.1E-9", dec(2, -9, "DecimalExponent")],
    ["0.0000000001", dec(1, -9)],
    ["0.5e-9", dec(1, -9, "DecimalExponent")],
    ["0.9n", dec(1, -9)],
    ["0.00000012345", dec(124, -9)],
    ["9Ei", dec(2n ** 63n - 1n, 0, "BinarySI")],
    ["9223372036854775807Ki", dec(2n ** 63n - 1n, 0, "BinarySI")],
    ["12E", dec(12, 18)],
    ["100.035Ki", dec(10243584, -2, "BinarySI")],
    ["0.5Mi", dec(0.5 * 1024 * 1024, 0, "BinarySI")],
    ["0.05Gi", dec(536870912, -1, "BinarySI")],
    ["0.000000000001Ki", dec(2, -9)],
    [".001", dec(1, -3)],
    [".0001k", dec(100, -3)],
    ["1.", dec(1, 0)],
    ["1.G", dec(1, 9)],
  ];
  for (const [input, expected] of table) {
    it(`reads ${input} as ${expected.mantissa}e${expected.exponent} ${expected.format}`, () => {
      const got = parseQuantity(input);
      assert.equal(got.cmp(expected), 0, `${got} vs ${expected}`);
      assert.equal(got.format, expected.format);
      const negative = parseQuantity(`-${input}`);
      assert.equal(negative.cmp(expected.neg()), 0);
      assert.equal(negative.format, expected.format);
      assert.equal(parseQuantity(`+${input}`).cmp(expected), 0);
    });
  }

  const invalid: [string, string][] = [
    ["", FORMAT_WRONG],
    ["1.1.M", FORMAT_WRONG],
    ["1+1.0M", FORMAT_WRONG],
    ["0.1mi", SUFFIX_WRONG],
    ["0.1am", FORMAT_WRONG],
    ["aoeu", FORMAT_WRONG],
    [".5i", SUFFIX_WRONG],
    ["1i", SUFFIX_WRONG],
    ["-3.01i", SUFFIX_WRONG],
    ["-3.01e-", SUFFIX_WRONG],
    [" 1", FORMAT_WRONG],
    ["1 ", FORMAT_WRONG],
    ["10Kb", FORMAT_WRONG],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)} with upstream's message`, () => {
      assert.throws(
        () => parseQuantity(input),
        (err: unknown) => err instanceof QuantityParseError && err.message === message,
      );
    });
  }

  it("words the format error exactly as upstream", () => {
    assert.equal(
      FORMAT_WRONG,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  it("accepts JSON numbers and strings with surrounding spaces", () => {
    assert.equal(parseQuantityJSON(0.5).toString(), "500m");
    assert.equal(parseQuantityJSON(2).toString(), "2");
    assert.equal(parseQuantityJSON(" 100m ").toString(), "100m");
    assert.throws(() => parseQuantityJSON(true), QuantityParseError);
  });
});

describe("quantity canonical form", () => {
  const emits: [string, string][] = [
    ["1Ki", "1Ki"],
    ["1Mi", "1Mi"],
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["1000M", "1G"],
    [".001Ki", "1024m"],
    [".000001Ki", "1024u"],
    [".000000001Ki", "1024n"],
    [".000000000001Ki", "2n"],
    ["100m", "100m"],
    ["1", "1"],
    ["1.5", "1500m"],
    ["0.5", "500m"],
    ["0.1", "100m"],
    ["1000m", "1"],
    ["1e3", "1e3"],
    ["1000e0", "1e3"],
    ["2k", "2k"],
    ["500M", "500M"],
    ["128Mi", "128Mi"],
    ["0.5Gi", "512Mi"],
    ["1.5k", "1500"],
    ["1.0", "1"],
    ["1080m", "1080m"],
    ["1.08", "1080m"],
    ["1080000000n", "1080m"],
    ["307200Ki", "300Mi"],
    ["1025024Mi", "1001Gi"],
    ["5000m", "5"],
    ["0.001T", "1G"],
    ["1000u", "1m"],
    ["0.001e0", "1e-3"],
    ["1000e-12", "1e-9"],
    [".001e12", "1e9"],
    ["00", "0"],
    ["1023Ki", "1023Ki"],
    ["512Ki", "512Ki"],
    ["0.5Ki", "512"],
    ["+1k", "+1k"],
  ];
  for (const [input, expected] of emits) {
    it(`prints ${input} as ${expected}`, () => {
      assert.equal(canonicalizeQuantity(input), expected);
      if (expected !== "0" && !expected.startsWith("+")) {
        assert.equal(canonicalizeQuantity(`-${input}`), `-${expected}`);
      }
    });
  }

  const built: [Quantity, string][] = [
    [dec(1024 ** 3, 0, "BinarySI"), "1Gi"],
    [dec(5, 0, "BinarySI"), "5"],
    [dec(500, -3, "BinarySI"), "500m"],
    [dec(1000000, 3), "1G"],
    [dec(108, -2), "1080m"],
    [dec(1234567, -3, "BinarySI"), "1234567m"],
    [dec(1025, 0, "BinarySI"), "1025"],
    [dec(0, 0, "BinarySI"), "0"],
    [dec(80, -3, "DecimalExponent"), "80e-3"],
    [dec(300, 6, "DecimalExponent"), "300e6"],
    [dec(10800, -10), "1080n"],
  ];
  for (const [q, expected] of built) {
    it(`prints ${q.mantissa}e${q.exponent} ${q.format} as ${expected}`, () => {
      assert.equal(q.toString(), expected);
      assert.equal(JSON.stringify({ q }), JSON.stringify({ q: expected }));
    });
  }
});
