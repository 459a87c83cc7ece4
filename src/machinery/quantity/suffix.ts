/**
 * Quantity suffixes: decimal SI (`n` … `E`), binary SI (`Ki` … `Ei`) and
 * decimal exponents (`e3`, `E-6`), as upstream's resource.Quantity knows them.
 */

export type QuantityFormat = "DecimalExponent" | "BinarySI" | "DecimalSI";

const DECIMAL: ReadonlyMap<string, number> = new Map([
  ["n", -9],
  ["u", -6],
  ["m", -3],
  ["", 0],
  ["k", 3],
  ["M", 6],
  ["G", 9],
  ["T", 12],
  ["P", 15],
  ["E", 18],
]);

const BINARY: ReadonlyMap<string, number> = new Map([
  ["Ki", 10],
  ["Mi", 20],
  ["Gi", 30],
  ["Ti", 40],
  ["Pi", 50],
  ["Ei", 60],
]);

const DECIMAL_BY_EXPONENT = new Map([...DECIMAL].map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map([...BINARY].map(([s, e]) => [e, s]));

export interface SuffixMeaning {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const INT_RE = /^[+-]?[0-9]+$/;

/** What a suffix means, or undefined when it is not one. */
export function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const dec = DECIMAL.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: "DecimalSI" };
  const bin = BINARY.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: "BinarySI" };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E")) {
    const digits = suffix.slice(1);
    if (!INT_RE.test(digits)) return undefined;
    const n = BigInt(digits);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) return undefined;
    // Upstream keeps the exponent in an int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: "DecimalExponent" };
  }
  return undefined;
}

/**
 * The suffix for a base and exponent in a format; upstream prints nothing
 * when the table has no entry (e.g. 10^21 in DecimalSI).
 */
export function constructSuffix(base: 2 | 10, exponent: number, format: QuantityFormat): string {
  switch (format) {
    case "DecimalSI":
      return base === 10 ? (DECIMAL_BY_EXPONENT.get(exponent) ?? "") : "";
    case "BinarySI":
      return base === 2 ? (BINARY_BY_EXPONENT.get(exponent) ?? "") : "";
    case "DecimalExponent":
      return base !== 10 || exponent === 0 ? "" : `e${exponent}`;
  }
}
