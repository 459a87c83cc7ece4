/**
 * resource.Quantity: an exact decimal (bigint mantissa × 10^exponent) with
 * the format it was written in. Immutable: arithmetic returns new values.
 * Rounding and printing follow upstream (values round away from zero when
 * scaled down, `String()` is canonical unless the parsed text already was).
 */
import { canonicalString, pow10 } from "./format.js";
import type { QuantityFormat } from "./suffix.js";

const INT64_MAX = 2n ** 63n - 1n;

/** Powers of ten upstream names (resource.Scale). */
export const Scale = {
  nano: -9,
  micro: -6,
  milli: -3,
  none: 0,
  kilo: 3,
  mega: 6,
  giga: 9,
  tera: 12,
  peta: 15,
  exa: 18,
} as const;

/** Divide by 10^digits, rounding the magnitude up; `exact` when nothing was lost. */
function divideUp(n: bigint, digits: number): { value: bigint; exact: boolean } {
  const d = pow10(digits);
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return { value: q, exact: true };
  return { value: n > 0n ? q + 1n : q - 1n, exact: false };
}

export class Quantity {
  /**
   * @param mantissa the unscaled integer
   * @param exponent the power of ten it is scaled by
   * @param format how to print it
   * @param text the exact text to print instead of the canonical form (set by the parser)
   */
  constructor(
    readonly mantissa: bigint,
    readonly exponent: number,
    readonly format: QuantityFormat = "DecimalSI",
    private readonly text?: string,
  ) {}

  /** `value` units (`Quantity.fromInt(5)` is "5"). */
  static fromInt(value: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  /** `value` thousandths (`Quantity.fromMilli(100)` is "100m"). */
  static fromMilli(value: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(value), -3, format);
  }

  /** value × 10^scale in DecimalSI. */
  static fromScaled(value: bigint | number, scale: number): Quantity {
    return new Quantity(BigInt(value), scale, "DecimalSI");
  }

  static zero(format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(0n, 0, format);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa === 0n ? 0 : this.mantissa > 0n ? 1 : -1;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const e = Math.min(this.exponent, other.exponent);
    const a = this.mantissa * pow10(this.exponent - e);
    const b = other.mantissa * pow10(other.exponent - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equal(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** this + other; a zero left side takes the other's format. */
  add(other: Quantity): Quantity {
    const e = Math.min(this.exponent, other.exponent);
    const m = this.mantissa * pow10(this.exponent - e) + other.mantissa * pow10(other.exponent - e);
    return new Quantity(m, e, this.isZero() ? other.format : this.format);
  }

  /** this - other; a zero left side takes the other's format. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg()).withFormat(this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.exponent, this.format);
  }

  /** this × n. */
  mul(n: bigint | number): Quantity {
    return new Quantity(this.mantissa * BigInt(n), this.exponent, this.format);
  }

  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.mantissa, this.exponent, format);
  }

  /**
   * The value in units of 10^scale, rounded away from zero
   * (`scaledValue(-3)` of "1.5m" is 2n).
   */
  scaledValue(scale: number): bigint {
    if (this.exponent >= scale) return this.mantissa * pow10(this.exponent - scale);
    return divideUp(this.mantissa, scale - this.exponent).value;
  }

  /** Whole units, rounded up: "100m" is 1. */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Thousandths, rounded up: "1.5" is 1500. */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** The value rounded up to a multiple of 10^scale, and whether that lost nothing. */
  roundUp(scale: number): { quantity: Quantity; exact: boolean } {
    if (this.exponent >= scale) return { quantity: this, exact: true };
    const { value, exact } = divideUp(this.mantissa, scale - this.exponent);
    return { quantity: new Quantity(value, scale, this.format), exact };
  }

  /** A float approximation (may lose precision). */
  asApproximateFloat64(): number {
    return Number.parseFloat(`${this.mantissa}e${this.exponent}`);
  }

  /** The value as an int64 when it is whole and fits, else undefined. */
  asInt64(): bigint | undefined {
    if (this.exponent < 0 && this.mantissa % pow10(-this.exponent) !== 0n) return undefined;
    const v = this.scaledValue(0);
    return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
  }

  /** Canonical text (or the parsed text when that already was canonical). */
  toString(): string {
    return this.text ?? canonicalString(this.mantissa, this.exponent, this.format);
  }

  /** Quantities serialize as their string. */
  toJSON(): string {
    return this.toString();
  }
}
