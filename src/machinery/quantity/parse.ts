/**
 * Parsing quantity strings (`100m`, `1.5Gi`, `1e3`, `+2k`) exactly as
 * upstream's resource.ParseQuantity, including its rounding up to nano units,
 * its BinarySI cap at 2^63-1 and which inputs keep their text on output.
 */
import { pow10 } from "./format.js";
import { Quantity } from "./quantity.js";
import { interpretSuffix } from "./suffix.js";

const SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
export const FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const NUMERIC_WRONG = "unable to parse numeric part of quantity";
export const SUFFIX_WRONG = "unable to parse quantity's suffix";

/** A string that is not a quantity (the API's 422/400, depending on where it appears). */
export class QuantityParseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

const INT64_MAX = 2n ** 63n - 1n;
const MAX_INT64_FACTORS = 18;
const NANO = -9;
const SUFFIX_CHARS = "eEinumkKMGTP";

interface Parts {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** Split into sign, integer digits (leading zeros dropped), fraction digits and suffix. */
function splitQuantity(str: string): Parts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === "-") {
    positive = false;
    pos++;
  } else if (str[0] === "+") pos++;

  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, num: "0", denom: "", suffix: "" };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  pos = i;
  if (i >= end) return { positive, num, denom: "", suffix: "" };
  if (num.length === 0) num = "0";

  let denom = "";
  if (str[pos] === ".") {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
    if (i >= end) return { positive, num, denom, suffix: "" };
  }

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++;
  if (pos >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === "-" || str[pos] === "+") pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** Parse a quantity string; throws QuantityParseError with upstream's messages. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(FORMAT_WRONG);
  if (str === "0") return new Quantity(0n, 0, "DecimalSI", "0");

  const { positive, num, denom, suffix } = splitQuantity(str);
  const meaning = interpretSuffix(suffix);
  if (meaning === undefined) throw new QuantityParseError(SUFFIX_WRONG);
  const { base, exponent } = meaning;
  let format = meaning.format;

  // The fast path: small enough for upstream's int64 representation.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (format === "BinarySI") {
    if (exponent >= 0 && denom.length === 0) {
      multiplier = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const value = BigInt(shifted);
      const product = value * multiplier;
      if (product <= INT64_MAX) {
        const result = positive ? product : -product;
        const keepText =
          format === "BinarySI"
            ? exponent % 10 === 0 && (value & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
        return new Quantity(result, scale, format, keepText ? str : undefined);
      }
    }
  }

  // The exact path: any size, rounded up to nano units.
  let m = BigInt(num + denom);
  let e = -denom.length;
  if (base === 10) e += exponent;
  else m *= 1n << BigInt(exponent);
  if (m !== 0n && e < NANO) {
    const d = pow10(NANO - e);
    m = m % d === 0n ? m / d : m / d + 1n;
    e = NANO;
  }
  if (format === "BinarySI") {
    const scaled = e >= 0 ? m * pow10(e) : m;
    const limit = e >= 0 ? INT64_MAX : INT64_MAX * pow10(-e);
    if (scaled > limit) {
      m = INT64_MAX;
      e = 0;
    }
    const one = e >= 0 ? 1n : pow10(-e);
    if (m > 0n && m < one) format = "DecimalSI";
  }
  return new Quantity(positive ? m : -m, e, format);
}

/** Parse, treating failures as programming errors. */
export function mustParseQuantity(str: string): Quantity {
  return parseQuantity(str);
}

/**
 * A quantity from its JSON form: a string (surrounding spaces ignored) or a
 * number. Throws QuantityParseError.
 */
export function parseQuantityJSON(value: unknown): Quantity {
  if (typeof value === "string") return parseQuantity(value.trim());
  if (typeof value === "number" && Number.isFinite(value)) return parseQuantity(String(value));
  throw new QuantityParseError(FORMAT_WRONG);
}

/** The canonical text of a quantity string, e.g. "1000m" → "1", "0.5" → "500m". */
export function canonicalizeQuantity(str: string): string {
  return parseQuantity(str).toString();
}
