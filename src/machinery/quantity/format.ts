/**
 * The canonical text of a quantity, as upstream's Quantity.String(): an
 * integer mantissa with the largest suffix that keeps it whole; decimal
 * formats use exponents that are multiples of 3, BinarySI powers of 1024
 * for whole values of at least 1024 (smaller or fractional ones print as
 * DecimalSI).
 */
import { constructSuffix, type QuantityFormat } from "./suffix.js";

/** 10^n for n >= 0. */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Render mantissa × 10^exponent canonically in `format`. */
export function canonicalString(
  mantissa: bigint,
  exponent: number,
  format: QuantityFormat,
): string {
  if (mantissa === 0n) return "0";
  let fmt = format;
  if (fmt === "BinarySI") {
    const whole = exponent >= 0 || mantissa % pow10(-exponent) === 0n;
    const value = exponent >= 0 ? mantissa * pow10(exponent) : mantissa / pow10(-exponent);
    // |value| < 1024 compares the exact value; a fraction never reaches the binary branch.
    if (!whole || abs(value) < 1024n) fmt = "DecimalSI";
    else return binaryString(value);
  }
  let m = mantissa;
  let e = exponent;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  return `${m}${constructSuffix(10, e, fmt)}`;
}

function binaryString(value: bigint): string {
  let m = value;
  let times = 0;
  while (abs(m) >= 1024n && m % 1024n === 0n) {
    m /= 1024n;
    times++;
  }
  return `${m}${constructSuffix(2, times * 10, "BinarySI")}`;
}
