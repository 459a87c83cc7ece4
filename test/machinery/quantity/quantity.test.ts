import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseQuantity, Quantity } from "../../../src/machinery/quantity/index.js";

const q = parseQuantity;

describe("quantity arithmetic", () => {
  const compares: [string, string, number][] = [
    ["1", "1000m", 0],
    ["1Ki", "1024", 0],
    ["1k", "1Ki", -1],
    ["500m", "0.5", 0],
    ["-1", "1m", -1],
    ["2Gi", "2G", 1],
  ];
  for (const [a, b, want] of compares) {
    it(`compares ${a} with ${b} as ${want}`, () => {
      assert.equal(q(a).cmp(q(b)), want);
    });
  }

  const sums: [string, string, string, string][] = [
    ["100m", "900m", "1", "-800m"],
    ["1Gi", "512Mi", "1536Mi", "512Mi"],
    ["1", "1Ki", "1025", "-1023"],
    ["0", "1Gi", "1Gi", "-1Gi"],
    ["1.5", "500m", "2", "1"],
  ];
  for (const [a, b, sum, diff] of sums) {
    it(`adds ${a} and ${b} to ${sum} and subtracts to ${diff}`, () => {
      assert.equal(q(a).add(q(b)).toString(), sum);
      assert.equal(q(a).sub(q(b)).toString(), diff);
    });
  }

  const values: [string, number, number][] = [
    ["100m", 1, 100],
    ["1", 1, 1000],
    ["1.5", 2, 1500],
    ["1Gi", 1073741824, 1073741824000],
    ["0.1m", 1, 1],
    ["-1.5", -2, -1500],
    ["1n", 1, 1],
  ];
  for (const [input, value, milli] of values) {
    it(`reads ${input} as value ${value} and milliValue ${milli}, rounding up`, () => {
      assert.equal(q(input).value(), value);
      assert.equal(q(input).milliValue(), milli);
    });
  }

  const roundUps: [string, number, string, boolean][] = [
    ["9.01", -3, "9010m", true],
    ["9.01", -1, "9100m", false],
    ["9.01", 0, "10", false],
    ["-9.01", 0, "-10", false],
    ["9.01", 2, "100", false],
  ];
  for (const [input, scale, want, exact] of roundUps) {
    it(`rounds ${input} up to 10^${scale} as ${want}`, () => {
      const r = q(input).roundUp(scale);
      assert.equal(r.quantity.toString(), want);
      assert.equal(r.exact, exact);
    });
  }

  it("builds quantities from integers and milli units", () => {
    assert.equal(Quantity.fromInt(5).toString(), "5");
    assert.equal(Quantity.fromMilli(1500).toString(), "1500m");
    assert.equal(Quantity.fromInt(2048, "BinarySI").toString(), "2Ki");
    assert.equal(Quantity.fromScaled(3, 6).toString(), "3M");
    assert.equal(Quantity.fromMilli(250).mul(4).toString(), "1");
    assert.equal(q("1.5Gi").asApproximateFloat64(), 1610612736);
    assert.equal(q("1.5").asInt64(), undefined);
    assert.equal(q("2k").asInt64(), 2000n);
  });

  it("does not change the receiver", () => {
    const a = q("1");
    a.add(q("1"));
    a.neg();
    assert.equal(a.toString(), "1");
  });
});
